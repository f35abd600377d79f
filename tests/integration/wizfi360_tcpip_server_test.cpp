// WizFi360 TCP server through the real binary (§1.10, §2.3): a real TCP client of the test connects to the host
// port the module's device port is bound to (found in the control plane's listeners), data both ways,
// CIPSERVERMAXCONN, the CIPSTO idle timeout (its unit shrunk through tcpip.cipsto_unit_ms).
#include "tests/integration/wizfi360_tcpip_fixture.hpp"

namespace simdev::test {
namespace {

class WizFi360Server : public WizFi360TcpipFixture {
 protected:
  // Multi mode, server on `device_port`; returns the host port it was bound to.
  std::uint16_t start_server(SerialClient& c, int device_port = 333) {
    EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
    const std::string cmd = device_port == 333 ? "AT+CIPSERVER=1\r\n" : "AT+CIPSERVER=1," + std::to_string(device_port) + "\r\n";
    EXPECT_EQ(ask(c, cmd), "\r\nOK\r\n");
    return bound_port(device_port);
  }

  std::uint16_t bound_port(int device_port) {
    const nlohmann::json state = device_state();  // named: a temporary would die before the loop body
    for (const auto& l : state["listeners"])
      if (l.value("proto", "") == "tcp" && l.value("device_port", 0) == device_port) return l.value("port", 0);
    return 0;
  }

  tcp::socket connect_client(std::uint16_t port) {
    tcp::socket s(io_);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    return s;
  }
};

TEST_F(WizFi360Server, ClientGetsLowestFreeIdAndConnect) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  auto outbound = open_link(c, 0);
  EXPECT_EQ(ask(c, "AT+CIPSERVER=1\r\n"), "\r\nOK\r\n");
  const std::uint16_t port = bound_port(333);
  ASSERT_NE(port, 0);
  auto client = connect_client(port);
  EXPECT_EQ(c.read_until("CONNECT\r\n"), "1,CONNECT\r\n");
}

TEST_F(WizFi360Server, DataFlowsBothWays) {
  auto c = start_joined();
  auto client = connect_client(start_server(c));
  EXPECT_EQ(c.read_until("CONNECT\r\n"), "0,CONNECT\r\n");
  peer_write(client, "hello");
  EXPECT_EQ(c.read_until("hello"), "\r\n+IPD,0,5:hello");
  EXPECT_EQ(ask(c, "AT+CIPSEND=0,3\r\n", "> "), "\r\nOK\r\n> ");
  c.write("abc");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 3 bytes\r\n\r\nSEND OK\r\n");
  EXPECT_EQ(peer_read(client, 3), "abc");
}

TEST_F(WizFi360Server, CipstatusMarksServerLinks) {
  auto c = start_joined();
  auto client = connect_client(start_server(c, 5001));
  EXPECT_EQ(c.read_until("CONNECT\r\n"), "0,CONNECT\r\n");
  const std::string client_port = std::to_string(client.local_endpoint().port());
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"),
            "STATUS:3\r\n+CIPSTATUS:0,\"TCP\",\"127.0.0.1\"," + client_port + ",5001,1\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Server, ClientsBeyondMaxconnAreRefused) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSERVERMAXCONN=1\r\n"), "\r\nOK\r\n");
  const std::uint16_t port = start_server(c);
  auto first = connect_client(port);
  EXPECT_EQ(c.read_until("CONNECT\r\n"), "0,CONNECT\r\n");
  auto second = connect_client(port);
  EXPECT_TRUE(peer_sees_eof(second));
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:3\r\n+CIPSTATUS:0,\"TCP\",\"127.0.0.1\"," +
                                            std::to_string(first.local_endpoint().port()) + ",333,1\r\n\r\nOK\r\n");
}

// Spec §2.3 only says "set before CIPSERVER"; set while the server runs, the limit applies from the next accept
// and links already open stay (documented in README).
TEST_F(WizFi360Server, MaxconnLoweredWhileServingAppliesToTheNextClient) {
  auto c = start_joined();
  const std::uint16_t port = start_server(c);
  auto first = connect_client(port);
  EXPECT_EQ(c.read_until("CONNECT\r\n"), "0,CONNECT\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSERVERMAXCONN=1\r\n"), "\r\nOK\r\n");
  auto second = connect_client(port);
  EXPECT_TRUE(peer_sees_eof(second));
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:3\r\n+CIPSTATUS:0,\"TCP\",\"127.0.0.1\"," +
                                            std::to_string(first.local_endpoint().port()) + ",333,1\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Server, IdleServerLinkClosedAfterCipsto) {
  auto c = start_joined({"--set", "tcpip.cipsto_unit_ms=10"});
  EXPECT_EQ(ask(c, "AT+CIPSTO=5\r\n"), "\r\nOK\r\n");
  auto client = connect_client(start_server(c));
  EXPECT_EQ(c.read_until("CONNECT\r\n"), "0,CONNECT\r\n");
  EXPECT_EQ(c.read_until("CLOSED\r\n"), "0,CLOSED\r\n");
  EXPECT_TRUE(peer_sees_eof(client));
}

TEST_F(WizFi360Server, CipstoZeroNeverTimesOut) {
  auto c = start_joined({"--set", "tcpip.cipsto_unit_ms=1"});
  EXPECT_EQ(ask(c, "AT+CIPSTO=0\r\n"), "\r\nOK\r\n");
  auto client = connect_client(start_server(c));
  EXPECT_EQ(c.read_until("CONNECT\r\n"), "0,CONNECT\r\n");
  EXPECT_EQ(c.read_for(std::chrono::milliseconds(100)), "");
}

TEST_F(WizFi360Server, OutboundLinksNeverTimeOut) {
  auto c = start_joined({"--set", "tcpip.cipsto_unit_ms=1"});
  EXPECT_EQ(ask(c, "AT+CIPSTO=5\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  auto outbound = open_link(c, 0);
  EXPECT_EQ(c.read_for(std::chrono::milliseconds(100)), "");
}

TEST_F(WizFi360Server, CipserverZeroStopsListening) {
  auto c = start_joined();
  const std::uint16_t port = start_server(c);
  ASSERT_NE(port, 0);
  EXPECT_EQ(ask(c, "AT+CIPSERVER=0\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(bound_port(333), 0);
  tcp::socket s(io_);
  boost::system::error_code ec;
  s.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  EXPECT_EQ(ec, boost::asio::error::connection_refused);
}

}  // namespace
}  // namespace simdev::test
