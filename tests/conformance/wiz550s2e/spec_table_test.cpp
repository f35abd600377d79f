// Spec §8: the 100-row differential table, executed in order against one module (rows 96-100 each from a fresh
// AT session). Network-side steps are played by real loopback peers.
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "tests/conformance/wiz550s2e/harness.hpp"
#include "tests/conformance/wiz550s2e/peers.hpp"

namespace simdev::wiz550s2e::test {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// Shared by the in-order rows.
struct World {
  World()
      : client_40001(io()),
        data_client(io()),
        data_client_2(io()),
        udp_7000(io()),
        udp_7777(io()),
        blackhole(io()),
        filler(io()) {}

  asio::io_context& io() { return shared_io; }

  static asio::io_context shared_io;
  TcpPeer client_40001;  // plays 192.168.0.3:40001
  TcpPeer data_client;
  TcpPeer data_client_2;
  UdpPeer udp_7000;  // plays 10.0.0.2:7000
  UdpPeer udp_7777;  // plays 10.0.0.9:7777 and 192.168.11.101:7777
  tcp::acceptor blackhole;  // plays 10.0.0.9:80: a full accept queue drops SYNs, so a connect times out
  TcpPeer filler;
  std::unique_ptr<Harness> h;
};
asio::io_context World::shared_io;

class Wiz550s2eSpecTable : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    w = new World();
    std::uint16_t client_port = w->client_40001.bind();
    w->blackhole.open(tcp::v4());
    w->blackhole.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    w->blackhole.listen(0);
    std::uint16_t blackhole_port = w->blackhole.local_endpoint().port();
    w->filler.connect(blackhole_port);  // occupies the only queue slot
    nlohmann::json network = {
        {"listen_map", {{"5000", 0}, {"6000", 0}}},
        {"address_map",
         {{"192.168.0.3:40001", "127.0.0.1:" + std::to_string(client_port)},
          {"10.0.0.2:7000", "127.0.0.1:" + std::to_string(w->udp_7000.port())},
          {"10.0.0.9:7777", "127.0.0.1:" + std::to_string(w->udp_7777.port())},
          {"192.168.11.101:7777", "127.0.0.1:" + std::to_string(w->udp_7777.port())},
          {"10.0.0.9:80", "127.0.0.1:" + std::to_string(blackhole_port)},
          {"www.example.com", "93.184.216.34"}}}};
    w->h = std::make_unique<Harness>(nlohmann::json::object(), network);
    w->h->power_on();
  }
  static void TearDownTestSuite() {
    w->h.reset();
    delete w;
    w = nullptr;
  }

  Harness& h() { return *w->h; }
  std::string at(std::string_view line) { return h().send(line); }
  std::uint16_t tcp_port(std::uint16_t device_port) { return host_port(h().device->listeners(), device_port, "tcp"); }
  std::uint16_t udp_port(std::uint16_t device_port) { return host_port(h().device->listeners(), device_port, "udp"); }

  static World* w;
};
World* Wiz550s2eSpecTable::w = nullptr;

// The peers live on their own io_context; the harness loop runs the device. Both are driven here.
bool run_both(Harness& h, const std::function<bool()>& done, std::chrono::milliseconds timeout = 3000ms) {
  return h.run_until(
      [&] {
        World::shared_io.restart();
        World::shared_io.poll();
        return done();
      },
      timeout);
}

TEST_F(Wiz550s2eSpecTable, Row001_TriggerFromConnectedDataModePrintsBannerAndClosesPeer) {
  w->data_client.connect(tcp_port(5000));
  w->data_client.write("WIZnet");
  ASSERT_TRUE(run_both(h(), [&] { return h().state()["data"]["role"] == "connected_in"; }));
  EXPECT_EQ(h().enter_at_mode(), kBanner);
  EXPECT_TRUE(run_both(h(), [&] { return w->data_client.eof; }));
}

TEST_F(Wiz550s2eSpecTable, Row002_HistoryEmpty) { EXPECT_EQ(at("AT?\r\n"), "[D,,0]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row003_At) { EXPECT_EQ(at("AT\r\n"), "[S]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row004_LowerCaseLfOnly) { EXPECT_EQ(at("at\n"), "[S]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row005_HistoryShowsPreviousLine) { EXPECT_EQ(at("AT?\r\n"), "[D,,2]\r\nat\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row006_AtWithEqualSign) { EXPECT_EQ(at("AT=1\r\n"), "[F,,2]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row007_Ati) { EXPECT_EQ(at("ATI\r\n"), "[F,,1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row008_BarePlus) { EXPECT_EQ(at("AT+\r\n"), "[F,,1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row009_Unknown) { EXPECT_EQ(at("AT+XYZ\r\n"), "[F,,1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row010_SpaceInToken) { EXPECT_EQ(at("AT +MSTAT\r\n"), "[F,,1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row011_Mstat) { EXPECT_EQ(at("AT+MSTAT\r\n"), "[S,,1.3.1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row012_MstatQuery) { EXPECT_EQ(at("AT+MSTAT?\r\n"), "[S,,1.3.1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row013_MstatSelectorOutOfRange) { EXPECT_EQ(at("AT+MSTAT?2\r\n"), "[F,,4,1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row014_MstatSet) { EXPECT_EQ(at("AT+MSTAT=1\r\n"), "[F,,2]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row015_Backspace) { EXPECT_EQ(at("AT+MST\x08\x08STAT\r\n"), "[S,,1.3.1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row016_EmptyLine) { EXPECT_EQ(at("\r\n"), ""); }
TEST_F(Wiz550s2eSpecTable, Row017_CrDoesNotTerminate) { EXPECT_EQ(at("AT\r"), ""); }
TEST_F(Wiz550s2eSpecTable, Row018_LfCompletesPendingLine) { EXPECT_EQ(at("\n"), "[S]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row019_NsetQuery) {
  EXPECT_EQ(at("AT+NSET?\r\n"), "[S,,S,192.168.11.100,255.255.255.0,192.168.11.1,8.8.8.8]\r\n");
}
TEST_F(Wiz550s2eSpecTable, Row020_NsetField2) { EXPECT_EQ(at("AT+NSET?2\r\n"), "[S,,192.168.11.100]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row021_NsetField6) { EXPECT_EQ(at("AT+NSET?6\r\n"), "[F,,6]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row022_NsetField9) { EXPECT_EQ(at("AT+NSET?9\r\n"), "[F,,4,1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row023_NsetAllEmpty) { EXPECT_EQ(at("AT+NSET=\r\n"), "[F,,6]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row024_NsetBadLetter) { EXPECT_EQ(at("AT+NSET=X\r\n"), "[F,,3,1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row025_NsetIndividualIp) { EXPECT_EQ(at("AT+NSET-2,192.168.11.110\r\n"), "[S]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row026_NstatShowsChange) {
  EXPECT_EQ(at("AT+NSTAT\r\n"), "[S,,S,192.168.11.110,255.255.255.0,192.168.11.1,8.8.8.8]\r\n");
}
TEST_F(Wiz550s2eSpecTable, Row027_NsetIndividualBadIp) { EXPECT_EQ(at("AT+NSET-2,999.1.1.1\r\n"), "[F,,3,2]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row028_NsetSixthField) {
  EXPECT_EQ(at("AT+NSET=S,192.168.11.100,255.255.255.0,192.168.11.1,8.8.8.8,1.1.1.1\r\n"), "[F,,6,6]\r\n");
}
TEST_F(Wiz550s2eSpecTable, Row029_SeventhField) { EXPECT_EQ(at("AT+NSET=S,1,2,3,4,5,6\r\n"), "[F,,3]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row030_NstatSet) { EXPECT_EQ(at("AT+NSTAT=1\r\n"), "[F,,2]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row031_Nmac) { EXPECT_EQ(at("AT+NMAC\r\n"), "[S,,00:08:dc:1d:bb:8a]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row032_NmacShort) { EXPECT_EQ(at("AT+NMAC=00:08:dc:1d:bb:8\r\n"), "[F,,3,1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row033_Musart) { EXPECT_EQ(at("AT+MUSART\r\n"), "[S,,115200,8,N,1,0]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row034_MusartParity) { EXPECT_EQ(at("AT+MUSART?3\r\n"), "[S,,N]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row035_MusartPartial) {
  int before = h().serial.settings_changes;
  EXPECT_EQ(at("AT+MUSART=,,E,,0\r\n"), "[S]\r\n");
  EXPECT_EQ(h().serial.settings_changes, before + 1);
  EXPECT_EQ(h().serial.settings().parity, serial::Parity::even);
}
TEST_F(Wiz550s2eSpecTable, Row036_MusartBadBaud) { EXPECT_EQ(at("AT+MUSART=110\r\n"), "[F,,3,1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row037_MusartBits9) { EXPECT_EQ(at("AT+MUSART=,9\r\n"), "[F,,4,2]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row038_MusartFull) { EXPECT_EQ(at("AT+MUSART=115200,8,N,1,0\r\n"), "[S]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row039_Mmode) { EXPECT_EQ(at("AT+MMODE\r\n"), "[S,,S,5000,192.168.11.101,5000]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row040_MmodePortZero) {
  EXPECT_EQ(at("AT+MMODE=S,0,192.168.11.101,5000\r\n"), "[F,,3,2]\r\n");
}
TEST_F(Wiz550s2eSpecTable, Row041_MmodeMissingIp) { EXPECT_EQ(at("AT+MMODE=S,5000,,\r\n"), "[F,,3,3]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row042_Mpass) { EXPECT_EQ(at("AT+MPASS\r\n"), "[S,,WIZnet,WIZnet]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row043_MpassTooLong) { EXPECT_EQ(at("AT+MPASS=1234567890,x\r\n"), "[F,,4,1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row044_Mname) { EXPECT_EQ(at("AT+MNAME\r\n"), "[S,,WIZ550S2E]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row045_MnameIndividual) { EXPECT_EQ(at("AT+MNAME-1\r\n"), "[F,,2]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row046_Mqttset) { EXPECT_EQ(at("AT+MQTTSET\r\n"), "[S,,,,WIZ550S2E]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row047_MqttconBare) { EXPECT_EQ(at("AT+MQTTCON\r\n"), "[F,,6]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row048_MqttsubWithoutSession) { EXPECT_EQ(at("AT+MQTTSUB=1,a/b\r\n"), "[F,,13,1,a/b]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row049_MqttpubIdleSocketSavesTopic) {
  EXPECT_EQ(at("AT+MQTTPUB=0,a/b,4\r\n"), "[F,,11]\r\n");
  EXPECT_EQ(h().flash->load()->at("mqtt_publish_topic"), "a/b");
}
TEST_F(Wiz550s2eSpecTable, Row050_Msave) { EXPECT_EQ(at("AT+MSAVE\r\n"), "[S]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row051_MsaveQuery) { EXPECT_EQ(at("AT+MSAVE?\r\n"), "[F,,2]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row052_Nauto) { EXPECT_EQ(at("AT+NAUTO\r\n"), "[F,,6]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row053_Estat) { EXPECT_EQ(at("AT+ESTAT\r\n"), "[F,,6]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row054_MsetSilent) { EXPECT_EQ(at("AT+MSET\r\n"), ""); }
TEST_F(Wiz550s2eSpecTable, Row055_NsockIdle) { EXPECT_EQ(at("AT+NSOCK\r\n"), "[D,,0]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row056_NsockZeroIdle) { EXPECT_EQ(at("AT+NSOCK=0\r\n"), "[S,,I]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row057_NopenBare) { EXPECT_EQ(at("AT+NOPEN\r\n"), "[F,,6]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row058_NopenBadType) { EXPECT_EQ(at("AT+NOPEN=T,5000,,\r\n"), "[F,,3,1]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row059_NopenServerWithIp) {
  EXPECT_EQ(at("AT+NOPEN=S,5000,1.2.3.4,\r\n"), "[F,,3,3]\r\n");
}
TEST_F(Wiz550s2eSpecTable, Row060_NsendIdle) { EXPECT_EQ(at("AT+NSEND=0,4\r\n"), "[F,,11]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row061_NcloseIdleBumpsAutoPort) {
  EXPECT_EQ(at("AT+NCLOSE=0\r\n"), "[F,,11]\r\n");
  EXPECT_EQ(h().state()["auto_port"], 2001);
}
TEST_F(Wiz550s2eSpecTable, Row062_NcloseBare) { EXPECT_EQ(at("AT+NCLOSE\r\n"), "[F,,2]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row063_NopenServer) { EXPECT_EQ(at("AT+NOPEN=S,5000,,\r\n"), "[S,,0]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row064_NopenSamePort) { EXPECT_EQ(at("AT+NOPEN=S,5000,,\r\n"), "[F,,12,2]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row065_NopenOtherPort) { EXPECT_EQ(at("AT+NOPEN=U,6000,,\r\n"), "[F,,10]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row066_NsockListening) { EXPECT_EQ(at("AT+NSOCK\r\n"), "[D,,8]\r\n0,S,5000\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row067_NsendNotConnected) { EXPECT_EQ(at("AT+NSEND=0,4\r\n"), "[F,,13]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row068_PeerConnects) {
  w->client_40001.connect(tcp_port(5000));
  EXPECT_EQ(h().take_output(9), "[V,0,0]\r\n");
}
TEST_F(Wiz550s2eSpecTable, Row069_NsockShowsPeer) {
  EXPECT_EQ(at("AT+NSOCK=0\r\n"), "[S,,S,5000,192.168.0.3,40001]\r\n");
}
TEST_F(Wiz550s2eSpecTable, Row070_PeerSendsData) {
  w->client_40001.write("Hello World");
  std::string expected = "[R,0,11]\r\nHello World\r\n";
  EXPECT_EQ(h().take_output(expected.size()), expected);
}
TEST_F(Wiz550s2eSpecTable, Row071_NsendStarts) { EXPECT_EQ(at("AT+NSEND=0,4\r\n"), "[W,0]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row072_NsendRawPayload) {
  EXPECT_EQ(at("ab\r\n"), "[S,0]\r\n");
  EXPECT_TRUE(run_both(h(), [&] { return w->client_40001.received == "ab\r\n"; }));
}
TEST_F(Wiz550s2eSpecTable, Row073_NsendTcpWithAddress) { EXPECT_EQ(at("AT+NSEND=0,4,1.2.3.4,5\r\n"), "[F,,3,3]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row074_NsendTooLarge) { EXPECT_EQ(at("AT+NSEND=0,1025\r\n"), "[F,,4,2]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row075_PeerCloses) {
  w->client_40001.close();
  EXPECT_EQ(h().take_output(9), "[V,0,1]\r\n");
}
TEST_F(Wiz550s2eSpecTable, Row076_NcloseTcp) {
  h().feed("AT+NCLOSE=0\r\n");
  EXPECT_EQ(h().take_output(14), "[W,0]\r\n[S,0]\r\n");
  EXPECT_EQ(h().state()["auto_port"], 2002);
}
TEST_F(Wiz550s2eSpecTable, Row077_NopenUdp) { EXPECT_EQ(at("AT+NOPEN=U,6000,,\r\n"), "[S,,0]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row078_NsendUdpWithoutPeer) { EXPECT_EQ(at("AT+NSEND=0,2\r\n"), "[F,,3,3]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row079_NsendUdpToAddress) {
  w->udp_7000.start_receiving();
  EXPECT_EQ(at("AT+NSEND=0,2,10.0.0.2,7000\r\n"), "[W,0]\r\n");
  h().feed("hi");
  EXPECT_EQ(h().take_output(7), "[S,0]\r\n");
  EXPECT_TRUE(run_both(h(), [&] { return w->udp_7000.received == "hi"; }));
}
TEST_F(Wiz550s2eSpecTable, Row080_UdpDatagramReceived) {
  w->udp_7000.send_to(udp_port(6000), "pong");
  std::string expected = "[R,0,4,10.0.0.2,7000]\r\npong\r\n";
  EXPECT_EQ(h().take_output(expected.size()), expected);
}
TEST_F(Wiz550s2eSpecTable, Row081_NcloseUdp) {
  EXPECT_EQ(at("AT+NCLOSE=0\r\n"), "[S]\r\n");
  EXPECT_EQ(h().state()["auto_port"], 2003);
}
TEST_F(Wiz550s2eSpecTable, Row082_NopenClientAutoPort) { EXPECT_EQ(at("AT+NOPEN=C,,10.0.0.9,80\r\n"), "[W,0]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row083_NsockConnecting) { EXPECT_EQ(at("AT+NSOCK\r\n"), "[D,,8]\r\n0,C,2003\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row084_NcloseWhileConnecting) {
  EXPECT_EQ(at("AT+NCLOSE=0\r\n"), "[F,,7]\r\n");
  EXPECT_EQ(h().state()["auto_port"], 2004);
}
TEST_F(Wiz550s2eSpecTable, Row085_ConnectTimesOut) { EXPECT_EQ(h().take_output(9), "[F,0,8]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row086_NopenClientPeerAccepts) {
  // Free the accept queue so the next SYN is answered.
  auto first = w->blackhole.accept();
  first.close();
  h().feed("AT+NOPEN=C,,10.0.0.9,80\r\n");
  EXPECT_EQ(h().take_output(14), "[W,0]\r\n[S,0]\r\n");
}
TEST_F(Wiz550s2eSpecTable, Row087_PeerSendsThenCloses) {
  tcp::socket accepted = w->blackhole.accept();
  accepted.write_some(asio::buffer(std::string("x")));
  accepted.close();
  std::string expected = "[R,0,1]\r\nx\r\n[V,0,2]\r\n";
  EXPECT_EQ(h().take_output(expected.size()), expected);
}
TEST_F(Wiz550s2eSpecTable, Row088_FdnsResolves) {
  h().feed("AT+FDNS=www.example.com\r\n");
  std::string expected = "[D,,15]\r\n93.184.216.34\r\n\r\n";
  EXPECT_EQ(h().take_output(expected.size()), expected);
  EXPECT_EQ(h().state()["settings"]["remote_ip"], "93.184.216.34");
}
TEST_F(Wiz550s2eSpecTable, Row089_FdnsIndividual) { EXPECT_EQ(at("AT+FDNS-1\r\n"), "[F,,2]\r\n"); }
TEST_F(Wiz550s2eSpecTable, Row090_MdataSwitchesToDataMode) {
  EXPECT_EQ(at("AT+MDATA\r\n"), "[S]\r\n");
  EXPECT_EQ(h().mode(), "data");
}
TEST_F(Wiz550s2eSpecTable, Row091_PasswordSplitAcrossSegments) {
  TcpPeer peer(World::shared_io);
  peer.connect(tcp_port(5000));
  peer.write("WIZ");
  ASSERT_TRUE(run_both(h(), [&] { return h().state()["data"]["role"] == "authenticating"; }));
  peer.write("netDATA");
  EXPECT_EQ(h().take_output(4), "DATA");
  peer.close();
  ASSERT_TRUE(run_both(h(), [&] { return h().state()["data"]["role"] == "listening"; }));
}
TEST_F(Wiz550s2eSpecTable, Row092_SerialDataWaitsForAuthentication) {
  TcpPeer peer(World::shared_io);
  peer.connect(tcp_port(5000));
  ASSERT_TRUE(run_both(h(), [&] { return h().state()["data"]["role"] == "authenticating"; }));
  h().feed("early");
  run_both(h(), [] { return false; }, 20ms);
  EXPECT_EQ(peer.received, "");
  peer.write("WIZnet");
  EXPECT_TRUE(run_both(h(), [&] { return peer.received == "early"; }));
  EXPECT_EQ(h().take(), "");
  peer.close();
  ASSERT_TRUE(run_both(h(), [&] { return h().state()["data"]["role"] == "listening"; }));
}
TEST_F(Wiz550s2eSpecTable, Row093_WrongPasswordClosesSilently) {
  TcpPeer peer(World::shared_io);
  peer.connect(tcp_port(5000));
  peer.write("xWIZnet");
  EXPECT_TRUE(run_both(h(), [&] { return peer.eof; }));
  EXPECT_EQ(h().take(), "");
}
TEST_F(Wiz550s2eSpecTable, Row094_AbortedTriggerForwardsEverything) {
  TcpPeer& peer = w->data_client_2;
  peer.connect(tcp_port(5000));
  peer.write("WIZnet");
  ASSERT_TRUE(run_both(h(), [&] { return h().state()["data"]["role"] == "connected_in"; }));
  h().advance(40ms);
  h().feed("+++");
  h().feed("X");
  EXPECT_TRUE(run_both(h(), [&] { return peer.received == "+++X"; }));
  EXPECT_EQ(h().take(), "");
}
TEST_F(Wiz550s2eSpecTable, Row095_UdpModeLearnsPeerPort) {
  ASSERT_EQ(h().enter_at_mode(), kBanner);
  EXPECT_EQ(at("AT+MMODE=U,6000,192.168.11.101,5000\r\n"), "[S]\r\n");
  EXPECT_EQ(at("AT+MDATA\r\n"), "[S]\r\n");
  w->udp_7777.start_receiving();
  w->udp_7777.send_to(udp_port(6000), "ping");
  EXPECT_EQ(h().take_output(4), "ping");
  h().feed("reply");
  EXPECT_TRUE(run_both(h(), [&] { return w->udp_7777.received == "reply"; }));
  EXPECT_EQ(h().state()["settings"]["remote_port"], 7777);
}

// Rows 96-100: each from a fresh AT session.
class Wiz550s2eSpecTableFresh : public ::testing::Test {
 protected:
  void SetUp() override { h.boot_into_at_mode(); }
  Harness h;
};

TEST_F(Wiz550s2eSpecTableFresh, Row096_FdnsQueryPrintsFatalText) {
  EXPECT_EQ(h.send("AT+FDNS?\r\n"), "### ERROR ### hdl_fdns(1080): wrong sign(1)\r\n");
}
TEST_F(Wiz550s2eSpecTableFresh, Row097_MpassSingleFieldClearsConnectionPassword) {
  h.feed("AT+MPASS=abc\r\nAT+MPASS?\r\n");
  EXPECT_EQ(h.take(), "[S]\r\n[S,,abc]\r\n");
}
TEST_F(Wiz550s2eSpecTableFresh, Row098_MnameUsesFirstFieldOnly) {
  h.feed("AT+MNAME=a,b\r\nAT+MNAME\r\n");
  EXPECT_EQ(h.take(), "[S]\r\n[S,,a]\r\n");
}
TEST_F(Wiz550s2eSpecTableFresh, Row099_NsetShortIp) { EXPECT_EQ(h.send("AT+NSET=S,1.2.3\r\n"), "[F,,3,2]\r\n"); }
TEST_F(Wiz550s2eSpecTableFresh, Row100_BroadcastConnectLeaksSlot) {
  h.feed("AT+NOPEN=C,3000,255.255.255.255,80\r\nAT+NSOCK\r\n");
  EXPECT_EQ(h.take(), "[F,,14]\r\n[D,,8]\r\n0,C,3000\r\n");
}

}  // namespace
}  // namespace simdev::wiz550s2e::test
