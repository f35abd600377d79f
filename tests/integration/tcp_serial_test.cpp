// --serial tcp:HOST:PORT: the raw TCP server QEMU/Renode connect their UART to.
#include "tests/integration/simdev_fixture.hpp"

namespace simdev::test {
namespace {

class TcpSerial : public SimdevFixture {};

TEST_F(TcpSerial, EphemeralPortIsReportedInReady) {
  auto& p = start_wizfi360({"--serial", "tcp:127.0.0.1:0"});
  EXPECT_EQ(p.device()["serial"]["type"], "tcp");
  EXPECT_NE(p.tcp_port(), 0);
}

TEST_F(TcpSerial, AtIsAnsweredOverTcp) {
  auto& p = start_wizfi360({"--serial", "tcp:127.0.0.1:0"});
  auto client = SerialClient::connect_tcp(p.tcp_port());
  ASSERT_EQ(attach_and_reboot(client, "wizfi360", "ready\r\n"), "\xFC\r\nready\r\n");
  client.write("AT\r\n");
  EXPECT_EQ(client.read_until("OK\r\n"), "AT\r\n\r\nOK\r\n");
}

TEST_F(TcpSerial, NextClientGetsFreshSession) {
  auto& p = start_wizfi360({"--serial", "tcp:127.0.0.1:0"});
  {
    auto first = SerialClient::connect_tcp(p.tcp_port());
    ASSERT_TRUE(wait_attached("wizfi360", true));
  }
  ASSERT_TRUE(wait_attached("wizfi360", false));
  auto second = SerialClient::connect_tcp(p.tcp_port());
  ASSERT_EQ(attach_and_reboot(second, "wizfi360", "ready\r\n"), "\xFC\r\nready\r\n");
  second.write("AT\r\n");
  EXPECT_EQ(second.read_until("OK\r\n"), "AT\r\n\r\nOK\r\n");
}

}  // namespace
}  // namespace simdev::test
