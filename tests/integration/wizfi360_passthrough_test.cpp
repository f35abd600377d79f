// WizFi360 passthrough (spec §1.12, decisions 34/35) through the real binary and pty, against TCP peers the
// test listens with on 127.0.0.1 ("192.168.11.3:5000" is mapped to them through network.address_map).
#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <functional>
#include <future>
#include <random>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "tests/integration/simdev_fixture.hpp"

namespace simdev::test {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr std::string_view kBootBanner = "\xFC\r\nready\r\n";
constexpr std::string_view kPrompt = "\r\nOK\r\n\r\n>";
// Longer than the module's 20 ms guard: the silence `+++` needs around it (the stimulus, not a sync).
constexpr auto kSilence = std::chrono::milliseconds(60);

std::string sha256(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

class WizFi360Passthrough : public SimdevFixture {
 protected:
  void SetUp() override {
    acceptor_.open(tcp::v4());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
  }

  std::string peer_spec() const { return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }

  std::vector<std::string> base_settings(std::vector<std::string> extra) const {
    nlohmann::json map = extra_map_;
    map["192.168.11.3:5000"] = peer_spec();
    std::vector<std::string> args{"--set", "timing.join_ms=5", "--set", "timing.dhcp_ms=5",
                                  "--set", "tcpip.connect_fail_delay_ms=10", "--set", "passthrough.deaf_ms=0",
                                  "--set", "network.address_map=" + map.dump()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // Joined station, echo off, CIPMODE=1, link 0 open to the test's listener (accepted into `peer`).
  SerialClient start_linked(std::vector<std::string> extra = {}) {
    start_wizfi360(base_settings(std::move(extra)));
    auto c = SerialClient::open_pty(process_->pty_link());
    EXPECT_EQ(attach_and_reboot(c, "wizfi360", "ready\r\n"), kBootBanner);
    EXPECT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+CWMODE_CUR=1\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+CWJAP_CUR=\"WIZnet\",\"wiznet1234\"\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+CIPMODE=1\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
    peer = accept_peer();
    return c;
  }

  SerialClient start_passthrough(std::vector<std::string> extra = {}) {
    auto c = start_linked(std::move(extra));
    EXPECT_EQ(ask(c, "AT+CIPSEND\r\n", ">"), kPrompt);
    return c;
  }

  static std::string ask(SerialClient& c, std::string_view line, std::string_view end = "OK\r\n") {
    c.write(line);
    return c.read_until(end);
  }

  // Sends `+++` as a packet of its own: silence before (checked: nothing arrives) and after.
  static void escape(SerialClient& c) {
    EXPECT_EQ(c.read_for(kSilence), "");
    c.write("+++");
  }

  // Waits for a peer-side worker; past the deadline the peer socket is shut down, which returns a blocked read
  // or write at once, so a module that stalls fails the test instead of hanging it.
  void finish_or_shut_down(std::future<void>& worker) {
    if (worker.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
      ADD_FAILURE() << "the transfer did not finish within 60 s";
      boost::system::error_code ignored;
      peer.shutdown(tcp::socket::shutdown_both, ignored);
    }
    worker.get();
  }

  nlohmann::json tcpip_state() {
    return control({{"op", "state"}, {"device", "wizfi360"}})["devices"]["wizfi360"]["tcpip"];
  }

  void reopen_listener(std::uint16_t port) {
    acceptor_.open(tcp::v4());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), port});
    acceptor_.listen();
  }

  tcp::socket accept_peer() {
    tcp::socket s(io_);
    boost::system::error_code ec;
    bool done = false;
    acceptor_.async_accept(s, [&](const boost::system::error_code& e) {
      ec = e;
      done = true;
    });
    io_.restart();
    io_.run_for(std::chrono::seconds(5));
    EXPECT_TRUE(done && !ec) << "no connection from the module";
    return s;
  }

  // Reads exactly n bytes (or what arrived within the deadline).
  std::string peer_read(std::size_t n, std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    std::string data(n, '\0');
    std::size_t got = 0;
    asio::async_read(peer, asio::buffer(data), [&](const boost::system::error_code&, std::size_t k) { got = k; });
    io_.restart();
    io_.run_for(deadline);
    if (got < n) peer.cancel();
    io_.restart();
    io_.poll();
    data.resize(got);
    return data;
  }

  // Everything the peer receives within `window`.
  std::string peer_read_for(std::chrono::milliseconds window) {
    std::string data;
    std::array<char, 4096> buf{};
    std::function<void()> next = [&] {
      peer.async_read_some(asio::buffer(buf), [&](const boost::system::error_code& ec, std::size_t k) {
        data.append(buf.data(), k);
        if (!ec) next();
      });
    };
    next();
    io_.restart();
    io_.run_for(window);
    peer.cancel();
    io_.restart();
    io_.poll();
    return data;
  }

  bool peer_sees_eof() {
    char byte = 0;
    boost::system::error_code result;
    bool done = false;
    peer.async_read_some(asio::buffer(&byte, 1), [&](const boost::system::error_code& ec, std::size_t) {
      result = ec;
      done = true;
    });
    io_.restart();
    io_.run_for(std::chrono::seconds(5));
    return done && result == asio::error::eof;
  }

  void peer_write(std::string_view data) { asio::write(peer, asio::buffer(data)); }

  asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  tcp::socket peer{io_};
  nlohmann::json extra_map_ = nlohmann::json::object();  // more address_map rules for one test
};

// ---------------------------------------------------------------- entering

TEST_F(WizFi360Passthrough, CipsendWithoutArgumentsEntersWithPrompt) {
  auto c = start_linked();
  EXPECT_EQ(ask(c, "AT+CIPSEND\r\n", ">"), kPrompt);
}

TEST_F(WizFi360Passthrough, CipsendWithoutArgumentsNeedsCipmode) {
  auto c = start_linked();
  EXPECT_EQ(ask(c, "AT+CIPMODE=0\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSEND\r\n", "\r\nERROR\r\n"), "\r\nERROR\r\n");
}

TEST_F(WizFi360Passthrough, UdpLinkWithChangingPeerRefused) {
  auto c = start_linked();
  EXPECT_EQ(ask(c, "AT+CIPCLOSE\r\n"), "CLOSED\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"UDP\",\"192.168.11.3\",5000,0,2\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSEND\r\n", "\r\nERROR\r\n"), "\r\nERROR\r\n");
}

TEST_F(WizFi360Passthrough, UdpLinkModeZeroSendsDatagrams) {
  asio::ip::udp::socket udp(io_, {asio::ip::make_address("127.0.0.1"), 0});
  extra_map_["192.168.11.4:6000"] = "127.0.0.1:" + std::to_string(udp.local_endpoint().port());
  auto c = start_linked({"--set", "passthrough.packet_idle_ms=0"});
  EXPECT_EQ(ask(c, "AT+CIPCLOSE\r\n"), "CLOSED\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"UDP\",\"192.168.11.4\",6000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSEND\r\n", ">"), kPrompt);
  c.write("datagram");
  std::array<char, 64> buf{};
  std::size_t got = 0;
  asio::ip::udp::endpoint from;
  udp.async_receive_from(asio::buffer(buf), from, [&](const boost::system::error_code&, std::size_t k) { got = k; });
  io_.restart();
  io_.run_for(std::chrono::seconds(5));
  EXPECT_EQ(std::string(buf.data(), got), "datagram");
}

// ---------------------------------------------------------------- data both ways

TEST_F(WizFi360Passthrough, SerialBytesReachThePeerRaw) {
  auto c = start_passthrough();
  c.write("hello\r\nworld");
  EXPECT_EQ(peer_read(12), "hello\r\nworld");
}

TEST_F(WizFi360Passthrough, PeerBytesReachTheSerialRaw) {
  auto c = start_passthrough();
  peer_write("no +IPD here\r\n");
  EXPECT_EQ(c.read_until("here\r\n"), "no +IPD here\r\n");
}

TEST_F(WizFi360Passthrough, PacketsAreCutAtTheConfiguredSize) {
  // With a long idle time, only the size rule sends: 10 bytes make one 8-byte packet, the rest waits.
  auto c = start_passthrough({"--set", "passthrough.packet_idle_ms=600000", "--set", "passthrough.packet_size=8"});
  c.write("0123456789");
  EXPECT_EQ(peer_read(8), "01234567");
  EXPECT_EQ(peer_read_for(std::chrono::milliseconds(100)), "");
}

TEST_F(WizFi360Passthrough, PacketIsSentAfterTheIdleTime) {
  auto c = start_passthrough({"--set", "passthrough.packet_idle_ms=20"});
  c.write("abc");
  EXPECT_EQ(peer_read(3), "abc");
}

// ---------------------------------------------------------------- `+++`

TEST_F(WizFi360Passthrough, EscapeLeavesClosesTheLinkAndIsNotForwarded) {
  auto c = start_passthrough();
  c.write("data");
  EXPECT_EQ(peer_read(4), "data");
  escape(c);
  EXPECT_EQ(c.read_until("CLOSED\r\n"), "CLOSED\r\n");
  EXPECT_TRUE(peer_sees_eof());  // and nothing before the EOF: `+++` was not sent
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:4\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Passthrough, EscapeKeepsTheLinkWhenConfigured) {
  auto c = start_passthrough({"--set", "passthrough.close_on_exit=false"});
  escape(c);
  EXPECT_EQ(c.read_for(kSilence), "");  // nothing printed on leaving
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:3\r\n+CIPSTATUS:0,\"TCP\",\"192.168.11.3\",5000," +
                                            std::to_string(peer.remote_endpoint().port()) + ",0\r\n\r\nOK\r\n");
  peer_write("after");  // back in normal mode: +IPD again
  EXPECT_EQ(c.read_until("after"), "\r\n+IPD,5:after");
}

TEST_F(WizFi360Passthrough, InputIsIgnoredForTheDeafTimeAfterEscape) {
  auto c = start_passthrough({"--set", "passthrough.deaf_ms=300"});
  escape(c);
  EXPECT_EQ(c.read_until("CLOSED\r\n"), "CLOSED\r\n");
  c.write("AT\r\n");
  EXPECT_EQ(c.read_for(std::chrono::milliseconds(100)), "");  // dropped: no answer
  EXPECT_EQ(c.read_for(std::chrono::milliseconds(300)), "");  // let the deaf time run out
  EXPECT_EQ(ask(c, "AT\r\n"), "\r\nOK\r\n");
}

TEST_F(WizFi360Passthrough, PlussesInsideABiggerPacketAreData) {
  auto c = start_passthrough();
  EXPECT_EQ(c.read_for(kSilence), "");
  c.write("ab+++cd");
  EXPECT_EQ(peer_read(7), "ab+++cd");
}

TEST_F(WizFi360Passthrough, PlussesFollowedWithoutSilenceAreData) {
  auto c = start_passthrough();
  escape(c);  // silence before, but more bytes follow at once
  c.write("ab");
  EXPECT_EQ(peer_read(5), "+++ab");
}

TEST_F(WizFi360Passthrough, PlussesWithCrLfAreData) {
  auto c = start_passthrough();
  EXPECT_EQ(c.read_for(kSilence), "");
  c.write("+++\r\n");
  EXPECT_EQ(peer_read(5), "+++\r\n");
  peer_write("still here");
  EXPECT_EQ(c.read_until("here"), "still here");
}

TEST_F(WizFi360Passthrough, PlussesWithoutSilenceBeforeAreData) {
  auto c = start_passthrough();
  c.write("x");
  c.write("+++");
  EXPECT_EQ(peer_read(4), "x+++");
  EXPECT_EQ(c.read_for(kSilence), "");  // no CLOSED: still in passthrough
}

// ---------------------------------------------------------------- link loss

TEST_F(WizFi360Passthrough, LinkLossIsSilentAndReconnectsUntilThePeerIsBack) {
  auto c = start_passthrough({"--set", "passthrough.reconnect_interval_ms=20"});
  const auto port = acceptor_.local_endpoint().port();
  const long before = tcpip_state()["connect_attempts"].get<long>();
  acceptor_.close();  // every reconnect is refused until the listener is back
  peer.close();
  EXPECT_TRUE(wait_until([&] { return tcpip_state()["connect_attempts"].get<long>() >= before + 3; },
                         std::chrono::seconds(5)));
  EXPECT_EQ(c.read_for(std::chrono::milliseconds(50)), "");  // no CLOSED, no CONNECT FAIL in the data stream
  reopen_listener(port);
  peer = accept_peer();  // the module came back by itself
  c.write("again");
  EXPECT_EQ(peer_read(5), "again");
  peer_write("back");
  EXPECT_EQ(c.read_until("back"), "back");  // the reconnect printed nothing either
}

TEST_F(WizFi360Passthrough, EscapeWhileLinkIsDownStopsReconnecting) {
  auto c = start_passthrough({"--set", "passthrough.reconnect_interval_ms=20"});
  acceptor_.close();
  peer.close();
  const long before = tcpip_state()["connect_attempts"].get<long>();
  EXPECT_TRUE(wait_until([&] { return tcpip_state()["connect_attempts"].get<long>() >= before + 2; },
                         std::chrono::seconds(5)));
  escape(c);
  EXPECT_EQ(c.read_for(kSilence), "");  // the link is already gone: nothing to close, nothing printed
  EXPECT_EQ(ask(c, "AT\r\n"), "\r\nOK\r\n");
  const long after_escape = tcpip_state()["connect_attempts"].get<long>();
  EXPECT_EQ(c.read_for(std::chrono::milliseconds(100)), "");  // five reconnect intervals
  EXPECT_EQ(tcpip_state()["connect_attempts"].get<long>(), after_escape);
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:4\r\n\r\nOK\r\n");
}

// ---------------------------------------------------------------- SAVETRANSLINK

TEST_F(WizFi360Passthrough, SavetranslinkBootsIntoPassthrough) {
  const auto flash = dir_ / "wizfi360.flash.json";
  const nlohmann::json file = {
      {"schema", "simdev.wizfi360.flash"},
      {"version", 1},
      {"data",
       {{"settings",
         {{"mode", 1},
          {"station_ap", {{"ssid", "WIZnet"}, {"password", "wiznet1234"}}},
          {"trans_link", {{"type", "TCP"}, {"host", "192.168.11.3"}, {"port", 5000}, {"keepalive", 0}, {"local_port", 0}}}}}}}};
  std::ofstream(flash) << file.dump();
  // A slow join keeps the power-up boot from connecting before the test resets the module.
  start_wizfi360(base_settings({"--flash", flash.string(), "--set", "timing.join_ms=300"}));
  auto c = SerialClient::open_pty(process_->pty_link());
  EXPECT_EQ(attach_and_reboot(c, "wizfi360", "ready\r\n"), kBootBanner);
  EXPECT_EQ(c.read_until("CONNECT\r\n\r\nOK\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\nCONNECT\r\n\r\nOK\r\n");
  peer = accept_peer();
  c.write("bridge");
  EXPECT_EQ(peer_read(6), "bridge");
  peer_write("egdirb");
  EXPECT_EQ(c.read_until("egdirb"), "egdirb");
}

// The whole user flow: join with the _DEF form (stored, autoconnect), save the link, reset the module.
TEST_F(WizFi360Passthrough, SavetranslinkSavedOverAtOpensTheLinkAfterReset) {
  start_wizfi360(base_settings({}));
  auto c = SerialClient::open_pty(process_->pty_link());
  EXPECT_EQ(attach_and_reboot(c, "wizfi360", "ready\r\n"), kBootBanner);
  EXPECT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CWMODE_DEF=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CWJAP_DEF=\"WIZnet\",\"wiznet1234\"\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+SAVETRANSLINK=1,\"192.168.11.3\",5000,\"TCP\",30\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(control({{"op", "reset"}, {"device", "wizfi360"}})["ok"], true);
  EXPECT_EQ(c.read_until("CONNECT\r\n\r\nOK\r\n"),
            std::string(kBootBanner) + "WIFI CONNECTED\r\nWIFI GOT IP\r\nCONNECT\r\n\r\nOK\r\n");
  peer = accept_peer();
  c.write("saved");
  EXPECT_EQ(peer_read(5), "saved");
  peer_write("link");
  EXPECT_EQ(c.read_until("link"), "link");  // raw: the module is in passthrough
}

TEST_F(WizFi360Passthrough, SavetranslinkUdpBootsIntoPassthrough) {
  asio::ip::udp::socket udp(io_, {asio::ip::make_address("127.0.0.1"), 0});
  extra_map_["192.168.11.4:6000"] = "127.0.0.1:" + std::to_string(udp.local_endpoint().port());
  start_wizfi360(base_settings({"--set", "passthrough.packet_idle_ms=0"}));
  auto c = SerialClient::open_pty(process_->pty_link());
  EXPECT_EQ(attach_and_reboot(c, "wizfi360", "ready\r\n"), kBootBanner);
  EXPECT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CWMODE_DEF=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CWJAP_DEF=\"WIZnet\",\"wiznet1234\"\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+SAVETRANSLINK=1,\"192.168.11.4\",6000,\"UDP\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(control({{"op", "reset"}, {"device", "wizfi360"}})["ok"], true);
  EXPECT_EQ(c.read_until("CONNECT\r\n\r\nOK\r\n"),
            std::string(kBootBanner) + "WIFI CONNECTED\r\nWIFI GOT IP\r\nCONNECT\r\n\r\nOK\r\n");
  c.write("datagram");
  std::array<char, 64> buf{};
  std::size_t got = 0;
  asio::ip::udp::endpoint module;
  udp.async_receive_from(asio::buffer(buf), module, [&](const boost::system::error_code&, std::size_t k) { got = k; });
  io_.restart();
  io_.run_for(std::chrono::seconds(5));
  EXPECT_EQ(std::string(buf.data(), got), "datagram");
  udp.send_to(asio::buffer(std::string_view("reply")), module);
  EXPECT_EQ(c.read_until("reply"), "reply");  // raw, no +IPD
}

// ---------------------------------------------------------------- integrity

TEST_F(WizFi360Passthrough, TenMegabytesEachWayKeepTheirSha256) {
  auto c = start_passthrough({"--set", "passthrough.packet_idle_ms=0"});
  constexpr std::size_t kSize = 10 * 1024 * 1024;
  const std::string up = random_bytes(kSize, 1);
  std::string received;
  auto reader = std::async(std::launch::async, [&] {
    std::string chunk(65536, '\0');
    boost::system::error_code ec;
    while (received.size() < kSize) {
      std::size_t n = peer.read_some(asio::buffer(chunk), ec);
      if (ec) break;
      received.append(chunk.data(), n);
    }
  });
  c.write(up);
  finish_or_shut_down(reader);
  EXPECT_EQ(received.size(), kSize);
  EXPECT_EQ(sha256(received), sha256(up));

  const std::string down = random_bytes(kSize, 2);
  auto writer = std::async(std::launch::async, [&] { peer_write(down); });
  std::string got;
  while (got.size() < kSize) {
    std::string piece = c.read_for(std::chrono::milliseconds(500));
    if (piece.empty()) break;
    got += piece;
  }
  finish_or_shut_down(writer);
  EXPECT_EQ(got.size(), kSize);
  EXPECT_EQ(sha256(got), sha256(down));
}

}  // namespace
}  // namespace simdev::test
