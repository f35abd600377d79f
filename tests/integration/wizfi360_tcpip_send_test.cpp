// WizFi360 sending family through the real binary (§1.8): CIPSENDEX's `\0` rule, CIPSENDBUF segments and their
// status commands, `+++` cancelling data entry; +IPD pacing and back-pressure in wire timing; 10 MB each way.
#include <poll.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <random>
#include <future>
#include <thread>

#include "libsim/util/bytes.hpp"
#include "tests/integration/wizfi360_tcpip_fixture.hpp"

namespace simdev::test {
namespace {

using WizFi360Send = WizFi360TcpipFixture;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------- CIPSENDEX

TEST_F(WizFi360Send, CipsendexBackslashZeroEndsDataEarly) {
  auto c = start_joined();
  auto peer = open_link(c);
  EXPECT_EQ(ask(c, "AT+CIPSENDEX=10\r\n", "> "), "\r\nOK\r\n> ");
  c.write("ab\\0");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 2 bytes\r\n\r\nSEND OK\r\n");
  EXPECT_EQ(peer_read(peer, 2), "ab");
}

TEST_F(WizFi360Send, CipsendexEscapedBackslashZeroIsSentLiterally) {
  auto c = start_joined();
  auto peer = open_link(c);
  EXPECT_EQ(ask(c, "AT+CIPSENDEX=5\r\n", "> "), "\r\nOK\r\n> ");
  c.write("a\\\\0b");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 4 bytes\r\n\r\nSEND OK\r\n");
  EXPECT_EQ(peer_read(peer, 4), "a\\0b");
}

TEST_F(WizFi360Send, CipsendexBytesAfterTerminatorAreACommand) {
  auto c = start_joined();
  auto peer = open_link(c);
  EXPECT_EQ(ask(c, "AT+CIPSENDEX=20\r\n", "> "), "\r\nOK\r\n> ");
  c.write("x\\0AT\r\n");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 1 bytes\r\n\r\nbusy s...\r\n\r\nSEND OK\r\n");
  EXPECT_EQ(peer_read(peer, 1), "x");
}

// ---------------------------------------------------------------- CIPSENDBUF

TEST_F(WizFi360Send, CipsendbufSingleAnswersSegmentIdsThenSendOk) {
  auto c = start_joined();
  auto peer = open_link(c);
  EXPECT_EQ(ask(c, "AT+CIPSENDBUF=3\r\n", "> "), "1,0\r\n\r\nOK\r\n> ");
  c.write("abc");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\n1,SEND OK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSENDBUF=2\r\n", "> "), "2,1\r\n\r\nOK\r\n> ");
  c.write("de");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\n2,SEND OK\r\n");
  EXPECT_EQ(peer_read(peer, 5), "abcde");
}

TEST_F(WizFi360Send, CipsendbufRefusesASegmentThatDoesNotFitTheBuffer) {
  auto c = start_joined({"--set", "tcpip.sendbuf_bytes=8"});  // the 21,900-byte buffer, shrunk
  auto peer = open_link(c);
  EXPECT_EQ(ask(c, "AT+CIPSENDBUF=9\r\n", "\r\nERROR\r\n"), "\r\nERROR\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSENDBUF=8\r\n", "> "), "1,0\r\n\r\nOK\r\n> ");
  c.write("12345678");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\n1,SEND OK\r\n");
  EXPECT_EQ(peer_read(peer, 8), "12345678");
}

TEST_F(WizFi360Send, CipsendbufMultiPrintsLinkAndSegment) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  auto peer = open_link(c, 2);
  EXPECT_EQ(ask(c, "AT+CIPSENDBUF=2,4\r\n", "> "), "1,0\r\n\r\nOK\r\n> ");
  c.write("ping");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\n2,1,SEND OK\r\n");
  EXPECT_EQ(peer_read(peer, 4), "ping");
}

TEST_F(WizFi360Send, CipbufstatusCountsSegmentsAndBuffer) {
  auto c = start_joined();
  auto peer = open_link(c);
  EXPECT_EQ(ask(c, "AT+CIPBUFSTATUS\r\n"), "1,0,0,21900,8\r\n\r\nOK\r\n");
  for (int i = 1; i <= 2; ++i) {
    EXPECT_EQ(ask(c, "AT+CIPSENDBUF=3\r\n", "> "), std::to_string(i) + "," + std::to_string(i - 1) + "\r\n\r\nOK\r\n> ");
    c.write("xyz");
    EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\n" + std::to_string(i) + ",SEND OK\r\n");
  }
  EXPECT_EQ(ask(c, "AT+CIPBUFSTATUS\r\n"), "3,2,2,21900,8\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Send, CipcheckseqTellsDeliveredSegments) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  auto peer = open_link(c, 0);
  EXPECT_EQ(ask(c, "AT+CIPSENDBUF=0,1\r\n", "> "), "1,0\r\n\r\nOK\r\n> ");
  c.write("q");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\n0,1,SEND OK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPCHECKSEQ=0,1\r\n"), "0,1,TRUE\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPCHECKSEQ=0,2\r\n"), "0,2,FALSE\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Send, CipbufresetRestartsSegmentIds) {
  auto c = start_joined();
  auto peer = open_link(c);
  EXPECT_EQ(ask(c, "AT+CIPSENDBUF=1\r\n", "> "), "1,0\r\n\r\nOK\r\n> ");
  c.write("q");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\n1,SEND OK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPBUFRESET\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPBUFSTATUS\r\n"), "1,0,0,21900,8\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPCHECKSEQ=1\r\n"), "1,FALSE\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Send, CipsendbufOnUdpLinkRefused) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"UDP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSENDBUF=4\r\n", "\r\nERROR\r\n"), "\r\nERROR\r\n");
  EXPECT_EQ(ask(c, "AT+CIPBUFSTATUS\r\n", "\r\nERROR\r\n"), "\r\nERROR\r\n");
}

// ---------------------------------------------------------------- +++ during data entry

TEST_F(WizFi360Send, PlusPacketCancelsCipsend) {
  auto c = start_joined();
  auto peer = open_link(c);
  EXPECT_EQ(ask(c, "AT+CIPSEND=10\r\n", "> "), "\r\nOK\r\n> ");
  c.write("abc");
  std::this_thread::sleep_for(std::chrono::milliseconds(60));  // the stimulus: silence before the packet
  c.write("+++");
  EXPECT_EQ(c.read_until("SEND Canceled\r\n"), "\r\nSEND Canceled\r\n");
  EXPECT_EQ(ask(c, "AT\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSEND=1\r\n", "> "), "\r\nOK\r\n> ");
  c.write("z");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 1 bytes\r\n\r\nSEND OK\r\n");
  EXPECT_EQ(peer_read(peer, 1), "z");  // nothing of the cancelled entry went out
}

TEST_F(WizFi360Send, PlusPacketCancelsCipsendbuf) {
  auto c = start_joined();
  auto peer = open_link(c);
  EXPECT_EQ(ask(c, "AT+CIPSENDBUF=8\r\n", "> "), "1,0\r\n\r\nOK\r\n> ");
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  c.write("+++");
  EXPECT_EQ(c.read_until("SEND Canceled\r\n"), "\r\nSEND Canceled\r\n");
  EXPECT_EQ(ask(c, "AT+CIPBUFSTATUS\r\n"), "1,0,0,21900,8\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Send, PlusesInsideThePayloadAreData) {
  auto c = start_joined();
  auto peer = open_link(c);
  EXPECT_EQ(ask(c, "AT+CIPSEND=5\r\n", "> "), "\r\nOK\r\n> ");
  c.write("a+++b");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 5 bytes\r\n\r\nSEND OK\r\n");
  EXPECT_EQ(peer_read(peer, 5), "a+++b");
}

// ---------------------------------------------------------------- wire timing

// Parses `\r\n+IPD,<n>:<data>` frames off the front of `stream`; appends the data, returns false when incomplete.
bool take_ipd(std::string& stream, std::size_t& pos, std::string& payload) {
  static constexpr std::string_view kHead = "\r\n+IPD,";
  if (stream.size() - pos < kHead.size()) return false;
  EXPECT_EQ(stream.compare(pos, kHead.size(), kHead), 0) << "at " << pos;
  const auto colon = stream.find(':', pos + kHead.size());
  if (colon == std::string::npos) return false;
  const std::size_t n = std::stoul(stream.substr(pos + kHead.size(), colon - pos - kHead.size()));
  if (stream.size() < colon + 1 + n) return false;
  payload.append(stream, colon + 1, n);
  pos = colon + 1 + n;
  return true;
}

std::string pattern(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (auto& ch : s) ch = static_cast<char>(gen());
  return s;
}

// Reads what the pty has within `timeout_ms` (up to `max` bytes) straight from the descriptor.
std::size_t read_some(int fd, std::string& into, std::size_t max, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return 0;
  std::string buf(max, '\0');
  const ssize_t n = ::read(fd, buf.data(), buf.size());
  if (n <= 0) return 0;
  into.append(buf, 0, static_cast<std::size_t>(n));
  return static_cast<std::size_t>(n);
}

TEST_F(WizFi360Send, IpdOf1460BytesTakesUartTimeInWireTiming) {
  auto c = start_joined({}, "wire");
  auto peer = open_link(c);
  const std::string data = pattern(1460, 1);
  peer_write(peer, data);
  std::string got;
  ASSERT_GT(read_some(c.fd(), got, 64, 5000), 0u);
  const auto first = Clock::now();
  const std::size_t frame = std::string("\r\n+IPD,1460:").size() + data.size();
  while (got.size() < frame && Clock::now() - first < std::chrono::seconds(5)) read_some(c.fd(), got, 4096, 1000);
  const auto elapsed = Clock::now() - first;
  EXPECT_EQ(got, "\r\n+IPD,1460:" + data);
  // 1472 characters at 11,520 per second: the first one is in when the clock starts, the rest take ~127 ms.
  EXPECT_GE(elapsed, std::chrono::milliseconds(120));
  // Loose, for a loaded machine; a wrong rate (9600 baud would take 1.5 s) still fails.
  EXPECT_LE(elapsed, std::chrono::milliseconds(600));
}

TEST_F(WizFi360Send, SlowHostLosesNothingAndPeerIsBackPressured) {
  auto c = start_joined({"--set", "tcpip.rx_pause_backlog_bytes=2048"}, "wire");
  auto peer = open_link(c);
  const std::string data = pattern(64 * 1024, 2);
  std::thread writer([&] { peer_write(peer, data); });
  // The host reads nothing until the module stopped reading the socket.
  bool paused = wait_until(
      [&] {
        auto links = device_state()["tcpip"]["links"];
        return !links.empty() && links[0].value("read_paused", false);
      },
      std::chrono::seconds(10));
  EXPECT_TRUE(paused);
  // What waits for the UART is bounded by the mark plus one socket read (16 KiB) and its +IPD headers.
  const std::size_t backlog = device_state()["serial"].value("tx_backlog", 0u);
  EXPECT_LE(backlog, 2048u + 16384u + 8u * 16u);
  std::string stream;
  std::string payload;
  std::size_t pos = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (payload.size() < data.size() && Clock::now() < deadline) {
    read_some(c.fd(), stream, 512, 200);  // small reads: a slow host
    while (take_ipd(stream, pos, payload)) {
    }
  }
  writer.join();
  EXPECT_EQ(payload.size(), data.size());
  EXPECT_TRUE(payload == data) << "data lost or reordered";
}

// ---------------------------------------------------------------- integrity

std::string sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  return hex_bytes(ByteView(md.data(), len));
}

// Waits for a peer-side worker; past the deadline the socket is shut down, which returns a blocked read or
// write at once, so a module that stalls fails the test instead of hanging it.
void finish_or_shut_down(std::future<void>& worker, boost::asio::ip::tcp::socket& peer) {
  if (worker.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    ADD_FAILURE() << "the transfer did not finish within 60 s";
    boost::system::error_code ignored;
    peer.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  }
  worker.get();
}

TEST_F(WizFi360Send, TenMegabytesEachWayKeepTheirSha256) {
  constexpr std::size_t kTotal = 10 * 1024 * 1024;
  constexpr std::size_t kChunk = 2048;
  auto c = start_joined();
  auto peer = open_link(c);

  // Host -> peer through CIPSEND.
  const std::string up = pattern(kTotal, 3);
  std::string received(kTotal, '\0');
  auto reader = std::async(std::launch::async, [&] {
    boost::system::error_code ec;
    received.resize(boost::asio::read(peer, boost::asio::buffer(received), ec));
  });
  int bad_answers = 0;
  for (std::size_t off = 0; off < kTotal; off += kChunk) {
    c.write("AT+CIPSEND=2048\r\n");
    bad_answers += c.read_until("> ") != "\r\nOK\r\n> ";
    c.write(std::string_view(up).substr(off, kChunk));
    bad_answers += c.read_until("SEND OK\r\n") != "\r\nRecv 2048 bytes\r\n\r\nSEND OK\r\n";
  }
  finish_or_shut_down(reader, peer);
  EXPECT_EQ(bad_answers, 0);
  EXPECT_EQ(received.size(), kTotal);
  EXPECT_EQ(sha256(received), sha256(up));

  // Peer -> host through +IPD.
  const std::string down = pattern(kTotal, 4);
  auto writer = std::async(std::launch::async, [&] { peer_write(peer, down); });
  std::string stream;
  std::string payload;
  std::size_t pos = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (payload.size() < kTotal && Clock::now() < deadline) {
    read_some(c.fd(), stream, 65536, 1000);
    while (take_ipd(stream, pos, payload)) {
    }
    if (pos > (1u << 20)) {
      stream.erase(0, pos);
      pos = 0;
    }
  }
  finish_or_shut_down(writer, peer);
  EXPECT_EQ(payload.size(), kTotal);
  EXPECT_EQ(sha256(payload), sha256(down));
}

}  // namespace
}  // namespace simdev::test
