// WizFi360 UDP links through the real binary and a real pty, against UDP peers the test binds on 127.0.0.1
// and maps in through network.address_map (§1.8, §1.9, §2.3 CIPSTART "UDP").
#include <random>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "tests/integration/simdev_fixture.hpp"

namespace simdev::test {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;

constexpr std::string_view kBootBanner = "\xFC\r\nready\r\n";

class WizFi360Udp : public SimdevFixture {
 protected:
  // "192.168.11.3:6000" reaches peer_a_, "192.168.11.4:6001" reaches peer_b_.
  SerialClient start_joined() {
    for (auto* s : {&peer_a_, &peer_b_}) {
      s->open(udp::v4());
      s->bind({asio::ip::make_address("127.0.0.1"), 0});
    }
    const nlohmann::json map = {
        {"192.168.11.3:6000", "127.0.0.1:" + std::to_string(peer_a_.local_endpoint().port())},
        {"192.168.11.4:6001", "127.0.0.1:" + std::to_string(peer_b_.local_endpoint().port())}};
    // Device UDP port 7000 binds an ephemeral host port, so the test never collides with a real one.
    start_wizfi360({"--set", "timing.join_ms=5", "--set", "timing.dhcp_ms=5", "--set",
                    "network.address_map=" + map.dump(), "--set", "network.listen_map={\"80\":0,\"7000\":0}"});
    auto c = SerialClient::open_pty(process_->pty_link());
    EXPECT_EQ(attach_and_reboot(c, "wizfi360", "ready\r\n"), kBootBanner);
    EXPECT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+CWMODE_CUR=1\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+CWJAP_CUR=\"WIZnet\",\"wiznet1234\"\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n");
    return c;
  }

  static std::string ask(SerialClient& c, std::string_view line, std::string_view end = "OK\r\n") {
    c.write(line);
    return c.read_until(end);
  }

  static void cipsend(SerialClient& c, std::string_view command, std::string_view payload) {
    EXPECT_EQ(ask(c, command, "> "), "\r\nOK\r\n> ");
    c.write(payload);
    EXPECT_EQ(c.read_until("SEND OK\r\n"),
              "\r\nRecv " + std::to_string(payload.size()) + " bytes\r\n\r\nSEND OK\r\n");
  }

  // One datagram arriving at `peer` (empty on timeout); `from` gets the device's host endpoint.
  std::string receive(udp::socket& peer, udp::endpoint& from) {
    std::string data(4096, '\0');
    std::size_t got = 0;
    peer.async_receive_from(asio::buffer(data), from,
                            [&](const boost::system::error_code& ec, std::size_t n) { got = ec ? 0 : n; });
    io_.restart();
    io_.run_for(std::chrono::seconds(5));
    data.resize(got);
    return data;
  }

  asio::io_context io_;
  udp::socket peer_a_{io_};
  udp::socket peer_b_{io_};
};

TEST_F(WizFi360Udp, CipstartUdpAndSendReachThePeer) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"UDP\",\"192.168.11.3\",6000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  cipsend(c, "AT+CIPSEND=4\r\n", "ping");
  udp::endpoint from;
  EXPECT_EQ(receive(peer_a_, from), "ping");
}

TEST_F(WizFi360Udp, CipstatusListsTheUdpLinkWithItsLocalPort) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=4,\"UDP\",\"192.168.11.3\",6000,7000\r\n"), "4,CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:3\r\n+CIPSTATUS:4,\"UDP\",\"192.168.11.3\",6000,7000,0\r\n\r\nOK\r\n");
  auto tcpip = control({{"op", "state"}, {"device", "wizfi360"}})["devices"]["wizfi360"]["tcpip"];
  EXPECT_EQ(tcpip["links"], nlohmann::json::parse(R"([{"id":4,"type":"UDP","remote":"192.168.11.3:6000","local_port":7000,"keepalive_s":0,"read_paused":false,"server":false}])"));
}

TEST_F(WizFi360Udp, DatagramBecomesOneIpdWithMappedSource) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPDINFO=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"UDP\",\"192.168.11.3\",6000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  cipsend(c, "AT+CIPSEND=1\r\n", "x");
  udp::endpoint device;
  ASSERT_EQ(receive(peer_a_, device), "x");
  peer_a_.send_to(asio::buffer(std::string_view("pong")), device);
  EXPECT_EQ(c.read_until("pong"), "\r\n+IPD,4,192.168.11.3,6000:pong");
}

TEST_F(WizFi360Udp, CipsendDestinationOverride) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=1,\"UDP\",\"192.168.11.3\",6000,0,2\r\n"), "1,CONNECT\r\n\r\nOK\r\n");
  cipsend(c, "AT+CIPSEND=1,3,\"192.168.11.4\",6001\r\n", "abc");
  udp::endpoint from;
  EXPECT_EQ(receive(peer_b_, from), "abc");
}

TEST_F(WizFi360Udp, ModeTwoRepliesToTheLatestSender) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"UDP\",\"192.168.11.3\",6000,0,2\r\n"), "CONNECT\r\n\r\nOK\r\n");
  cipsend(c, "AT+CIPSEND=1\r\n", "x");
  udp::endpoint device;
  ASSERT_EQ(receive(peer_a_, device), "x");
  peer_b_.send_to(asio::buffer(std::string_view("hi")), device);
  EXPECT_EQ(c.read_until("hi"), "\r\n+IPD,2:hi");
  cipsend(c, "AT+CIPSEND=2\r\n", "yo");
  udp::endpoint from;
  EXPECT_EQ(receive(peer_b_, from), "yo");
}

TEST_F(WizFi360Udp, ModeZeroKeepsItsPeer) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"UDP\",\"192.168.11.3\",6000,0,0\r\n"), "CONNECT\r\n\r\nOK\r\n");
  cipsend(c, "AT+CIPSEND=1\r\n", "x");
  udp::endpoint device;
  ASSERT_EQ(receive(peer_a_, device), "x");
  peer_b_.send_to(asio::buffer(std::string_view("hi")), device);
  EXPECT_EQ(c.read_until("hi"), "\r\n+IPD,2:hi");
  cipsend(c, "AT+CIPSEND=2\r\n", "yo");
  udp::endpoint from;
  EXPECT_EQ(receive(peer_a_, from), "yo");
}

TEST_F(WizFi360Udp, ModeOneFollowsTheFirstNewSenderOnly) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"UDP\",\"192.168.11.3\",6000,0,1\r\n"), "CONNECT\r\n\r\nOK\r\n");
  cipsend(c, "AT+CIPSEND=1\r\n", "x");
  udp::endpoint device;
  ASSERT_EQ(receive(peer_a_, device), "x");
  peer_b_.send_to(asio::buffer(std::string_view("hi")), device);  // the one change: the peer becomes B
  EXPECT_EQ(c.read_until("hi"), "\r\n+IPD,2:hi");
  peer_a_.send_to(asio::buffer(std::string_view("ho")), device);  // no second change
  EXPECT_EQ(c.read_until("ho"), "\r\n+IPD,2:ho");
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"),
            "STATUS:3\r\n+CIPSTATUS:0,\"UDP\",\"192.168.11.4\",6001," + std::to_string(device.port()) + ",0\r\n\r\nOK\r\n");
  cipsend(c, "AT+CIPSEND=2\r\n", "yo");
  udp::endpoint from;
  EXPECT_EQ(receive(peer_b_, from), "yo");
}

// The Arduino library's form: remote "0" port 0, a local port, mode 2. Nothing to send to until a peer writes.
TEST_F(WizFi360Udp, RemotePortZeroFailsToSendUntilAPeerWrites) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"UDP\",\"0\",0,7000,2\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSEND=2\r\n", "> "), "\r\nOK\r\n> ");
  c.write("no");
  EXPECT_EQ(c.read_until("SEND FAIL\r\n"), "\r\nRecv 2 bytes\r\n\r\nSEND FAIL\r\n");
  std::uint16_t host_port = 0;
  const nlohmann::json state = control({{"op", "state"}, {"device", "wizfi360"}})["devices"]["wizfi360"];
  for (const auto& l : state["listeners"])
    if (l.value("proto", "") == "udp" && l.value("device_port", 0) == 7000) host_port = l.value("port", 0);
  ASSERT_NE(host_port, 0) << state["listeners"].dump();
  peer_a_.send_to(asio::buffer(std::string_view("hello")), udp::endpoint(asio::ip::make_address("127.0.0.1"), host_port));
  EXPECT_EQ(c.read_until("hello"), "\r\n+IPD,5:hello");
  cipsend(c, "AT+CIPSEND=2\r\n", "yo");
  udp::endpoint from;
  EXPECT_EQ(receive(peer_a_, from), "yo");
}

TEST_F(WizFi360Udp, DatagramsAreNeverMerged) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"UDP\",\"192.168.11.3\",6000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  cipsend(c, "AT+CIPSEND=1\r\n", "x");
  udp::endpoint device;
  ASSERT_EQ(receive(peer_a_, device), "x");
  for (std::string_view d : {"one", "two", "three"}) peer_a_.send_to(asio::buffer(d), device);
  EXPECT_EQ(c.read_until("three"), "\r\n+IPD,3:one\r\n+IPD,3:two\r\n+IPD,5:three");
}

TEST_F(WizFi360Udp, DatagramAbove2048BytesIsSplit) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"UDP\",\"192.168.11.3\",6000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  cipsend(c, "AT+CIPSEND=1\r\n", "x");
  udp::endpoint device;
  ASSERT_EQ(receive(peer_a_, device), "x");
  std::mt19937 rng(7);  // aperiodic text, so the tail read_until waits for occurs only at the end
  std::string big(3000, '\0');
  for (auto& ch : big) ch = static_cast<char>('a' + rng() % 26);
  peer_a_.send_to(asio::buffer(big), device);
  EXPECT_EQ(c.read_until(big.substr(2048)),
            "\r\n+IPD,2048:" + big.substr(0, 2048) + "\r\n+IPD,952:" + big.substr(2048));
}

}  // namespace
}  // namespace simdev::test
