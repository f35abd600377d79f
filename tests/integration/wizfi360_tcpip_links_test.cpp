// WizFi360 TCP links through the real binary and a real pty, against TCP peers the test listens with on
// 127.0.0.1; the module's virtual destinations reach them through network.address_map (§1.8-1.10, §2.3).
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "tests/integration/wizfi360_tcpip_fixture.hpp"

namespace simdev::test {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr std::string_view kBootBanner = "\xFC\r\nready\r\n";

class WizFi360Tcpip : public WizFi360TcpipFixture {};

TEST_F(WizFi360Tcpip, CipstartSingleConnectsThroughAddressMap) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000,10\r\n"), "CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:3\r\n+CIPSTATUS:0,\"TCP\",\"192.168.11.3\",5000," +
                                            std::to_string(peer.remote_endpoint().port()) + ",0\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Tcpip, CipstartHostNameThroughAddressMap) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"echo.example\",80\r\n"), "CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  ASSERT_TRUE(peer.is_open());
  // CIPSTATUS shows an IPv4 address, never the name: the literal rule with the same target (as CIPDOMAIN does).
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:3\r\n+CIPSTATUS:0,\"TCP\",\"192.168.11.3\",80," +
                                            std::to_string(peer.remote_endpoint().port()) + ",0\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Tcpip, CipstartMultiPrintsIdConnect) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=3,\"TCP\",\"192.168.11.3\",5000\r\n"), "3,CONNECT\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Tcpip, CipstartOnOpenLinkAlreadyConnected) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n", "\r\nERROR\r\n"),
            "ALREADY CONNECTED\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Tcpip, CipstartRefusedConnectFail) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.9\",7000\r\n", "\r\nERROR\r\n"), "CONNECT FAIL\r\n\r\nERROR\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:2\r\n\r\nOK\r\n");
}

// The refused connect is reported after tcpip.connect_fail_delay_ms (hardware retries); meanwhile the module is
// busy with it.
TEST_F(WizFi360Tcpip, RefusedConnectIsReportedAfterTheConfiguredDelay) {
  auto c = start_joined({"--set", "tcpip.connect_fail_delay_ms=300"});
  const auto started = std::chrono::steady_clock::now();
  c.write("AT+CIPSTART=\"TCP\",\"192.168.11.9\",7000\r\n");
  EXPECT_EQ(ask(c, "AT\r\n", "busy p...\r\n"), "\r\nbusy p...\r\n");
  EXPECT_EQ(c.read_until("\r\nERROR\r\n"), "CONNECT FAIL\r\n\r\nERROR\r\n");
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(300));
}

TEST_F(WizFi360Tcpip, CipstartUnresolvableNameIsDnsFail) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"nothing.invalid\",80\r\n", "\r\nERROR\r\n"), "DNS Fail\r\n\r\nERROR\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:2\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Tcpip, CipmuxChangeWithOpenLinkRejected) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n", "\r\nERROR\r\n"), "link is builded\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Tcpip, CipcloseClosesAndPeerSeesEof) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  EXPECT_EQ(ask(c, "AT+CIPCLOSE\r\n"), "CLOSED\r\n\r\nOK\r\n");
  EXPECT_TRUE(peer_sees_eof(peer));
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:4\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Tcpip, CipcloseFiveClosesAllLinks) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=1,\"TCP\",\"192.168.11.3\",5000\r\n"), "1,CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=4,\"TCP\",\"192.168.11.3\",5000\r\n"), "4,CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPCLOSE=5\r\n"), "1,CLOSED\r\n4,CLOSED\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Tcpip, PeerCloseSinglePrintsClosed) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  accept_peer().close();
  EXPECT_EQ(c.read_until("CLOSED\r\n"), "CLOSED\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:4\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Tcpip, PeerCloseMultiPrintsIdClosed) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=2,\"TCP\",\"192.168.11.3\",5000\r\n"), "2,CONNECT\r\n\r\nOK\r\n");
  accept_peer().close();
  EXPECT_EQ(c.read_until("CLOSED\r\n"), "2,CLOSED\r\n");
}

TEST_F(WizFi360Tcpip, CipsendSingleDeliversPayload) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  EXPECT_EQ(ask(c, "AT+CIPSEND=7\r\n", "> "), "\r\nOK\r\n> ");
  c.write("AT\r\nx\ny");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 7 bytes\r\n\r\nSEND OK\r\n");
  EXPECT_EQ(peer_read(peer, 7), "AT\r\nx\ny");
}

TEST_F(WizFi360Tcpip, CipsendPayloadNotEchoedWithEchoOn) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  EXPECT_EQ(ask(c, "ATE1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSEND=3\r\n", "> "), "AT+CIPSEND=3\r\n\r\nOK\r\n> ");
  c.write("abc");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 3 bytes\r\n\r\nSEND OK\r\n");
  EXPECT_EQ(peer_read(peer, 3), "abc");
}

TEST_F(WizFi360Tcpip, CipsendMultiDeliversToItsLink) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=1,\"TCP\",\"192.168.11.3\",5000\r\n"), "1,CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  EXPECT_EQ(ask(c, "AT+CIPSEND=1,4\r\n", "> "), "\r\nOK\r\n> ");
  c.write("ping");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 4 bytes\r\n\r\nSEND OK\r\n");
  EXPECT_EQ(peer_read(peer, 4), "ping");
}

TEST_F(WizFi360Tcpip, CommandRightAfterPayloadGetsBusyS) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  EXPECT_EQ(ask(c, "AT+CIPSEND=2\r\n", "> "), "\r\nOK\r\n> ");
  c.write("hiAT\r\n");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 2 bytes\r\n\r\nbusy s...\r\n\r\nSEND OK\r\n");
}

TEST_F(WizFi360Tcpip, IpdSingleWithoutInfo) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  peer_write(peer, "hello");
  EXPECT_EQ(c.read_until("hello"), "\r\n+IPD,5:hello");
}

TEST_F(WizFi360Tcpip, IpdSingleWithInfoUnquotedIp) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPDINFO=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  peer_write(peer, "hello");
  EXPECT_EQ(c.read_until("hello"), "\r\n+IPD,5,192.168.11.3,5000:hello");
}

TEST_F(WizFi360Tcpip, IpdMultiWithoutInfo) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=2,\"TCP\",\"192.168.11.3\",5000\r\n"), "2,CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  peer_write(peer, "hello");
  EXPECT_EQ(c.read_until("hello"), "\r\n+IPD,2,5:hello");
}

TEST_F(WizFi360Tcpip, IpdMultiWithInfo) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPDINFO=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=0,\"TCP\",\"192.168.11.3\",5000\r\n"), "0,CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  peer_write(peer, "hello");
  EXPECT_EQ(c.read_until("hello"), "\r\n+IPD,0,5,192.168.11.3,5000:hello");
}

TEST_F(WizFi360Tcpip, IpdSplitAbove2048) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
  auto peer = accept_peer();
  std::string data(3000, 'a');
  data.back() = 'z';
  peer_write(peer, data);
  EXPECT_EQ(c.read_until("z"), "\r\n+IPD,2048:" + data.substr(0, 2048) + "\r\n+IPD,952:" + data.substr(2048));
}

}  // namespace
}  // namespace simdev::test
