// Spec §4.3/§4.4/§4.6: RAM vs saved settings, auto-saving commands, reset, MUSART quirks, DHCP and DNS at boot.
#include <gtest/gtest.h>

#include "tests/conformance/wiz550s2e/harness.hpp"

namespace simdev::wiz550s2e::test {
namespace {

TEST(Wiz550s2eSettings, NsetIsLostOnResetWithoutSave) {
  Harness h;
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+NSET-2,10.1.1.1\n"), "[S]\r\n");
  EXPECT_EQ(h.send("AT+MRST\n"), "[S]\r\n");
  ASSERT_TRUE(h.run_until([&] { return h.mode() == "data"; }));
  ASSERT_EQ(h.enter_at_mode(), kBanner);
  EXPECT_EQ(h.send("AT+NSET?2\n"), "[S,,192.168.11.100]\r\n");
}

TEST(Wiz550s2eSettings, MsaveThenResetKeepsNset) {
  Harness h;
  h.boot_into_at_mode();
  h.send("AT+NSET-2,10.1.1.1\n");
  EXPECT_EQ(h.send("AT+MSAVE\n"), "[S]\r\n");
  h.send("AT+MRST\n");
  ASSERT_TRUE(h.run_until([&] { return h.mode() == "data"; }));
  ASSERT_EQ(h.enter_at_mode(), kBanner);
  EXPECT_EQ(h.send("AT+NSET?2\n"), "[S,,10.1.1.1]\r\n");
}

TEST(Wiz550s2eSettings, AutoSavingCommandCommitsPendingChanges) {
  Harness h;
  h.boot_into_at_mode();
  h.send("AT+MUSART=9600\n");
  h.send("AT+NSET-4,10.1.1.254\n");
  EXPECT_EQ(h.send("AT+MNAME=box\n"), "[S]\r\n");
  auto stored = h.flash->load();
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->at("baud_rate"), 9600);
  EXPECT_EQ(stored->at("gateway"), "10.1.1.254");
  EXPECT_EQ(stored->at("module_name"), "box");
}

TEST(Wiz550s2eSettings, SettingsSurviveANewProcessOnTheSameFlashFile) {
  std::filesystem::path file;
  simdev::test::TempDir keep;
  {
    Harness h;
    h.boot_into_at_mode();
    h.send("AT+MMODE=C,3000,10.0.0.1,4000\n");
    std::filesystem::copy_file(h.dir / "flash.json", keep / "flash.json");
  }
  Harness h;
  std::filesystem::copy_file(keep / "flash.json", h.dir / "flash.json");
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+MMODE?\n"), "[S,,C,3000,10.0.0.1,4000]\r\n");
}

TEST(Wiz550s2eSettings, CorruptFlashFallsBackToFactoryDefaults) {
  Harness h;
  simdev::test::write_file(h.dir / "flash.json", "{not json");
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+MNAME\n"), "[S,,WIZ550S2E]\r\n");
}

TEST(Wiz550s2eSettings, MusartPartialWriteKeepsEarlierFields) {
  Harness h;
  h.boot_into_at_mode();
  int before = h.serial.settings_changes;
  EXPECT_EQ(h.send("AT+MUSART=9600,9\n"), "[F,,4,2]\r\n");
  EXPECT_EQ(h.send("AT+MUSART?\n"), "[S,,9600,8,N,1,0]\r\n");
  EXPECT_EQ(h.serial.settings_changes, before);
}

TEST(Wiz550s2eSettings, MusartAppliesTheUartAfterAnswering) {
  Harness h;
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+MUSART=57600,7,O,2,1\n"), "[S]\r\n");
  serial::UartSettings u = h.serial.settings();
  EXPECT_EQ(u.baud, 57600u);
  EXPECT_EQ(u.data_bits, 7);
  EXPECT_EQ(u.parity, serial::Parity::odd);
  EXPECT_EQ(u.stop_bits, serial::StopBits::two);
  EXPECT_EQ(u.flow, serial::FlowControl::rts_cts);
}

TEST(Wiz550s2eSettings, MusartFiveDataBitsAreCoercedToEight) {
  Harness h;
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+MUSART=,5\n"), "[S]\r\n");
  EXPECT_EQ(h.send("AT+MUSART?2\n"), "[S,,8]\r\n");
}

TEST(Wiz550s2eSettings, NmacAppliesAndSaves) {
  Harness h;
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+NMAC=00:08:DC:AA:BB:CC\n"), "[S]\r\n");
  EXPECT_EQ(h.send("AT+NMAC\n"), "[S,,00:08:dc:aa:bb:cc]\r\n");
  EXPECT_EQ(h.flash->load()->at("mac"), "00:08:dc:aa:bb:cc");
}

TEST(Wiz550s2eSettings, MqttsetEmptiesTheModuleName) {
  Harness h;
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+MQTTSET=,,\n"), "[S]\r\n");
  EXPECT_EQ(h.send("AT+MNAME\n"), "[S]\r\n");
}

TEST(Wiz550s2eSettings, FirmwareVersionIsConfigurable) {
  Harness h(nlohmann::json{{"firmware_version", "1.3.0"}});
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+MSTAT\n"), "[S,,1.3.0]\r\n");
}

TEST(Wiz550s2eSettings, DhcpLeaseIsReportedWithLetterD) {
  Harness h(nlohmann::json{{"factory", {{"dhcp_use", true}}},
             {"network",
              {{"dhcp_lease", {{"ip", "10.9.0.20"}, {"subnet", "255.255.0.0"}, {"gateway", "10.9.0.1"}, {"dns", "10.9.0.2"}}}}}});
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+NSET\n"), "[S,,D,10.9.0.20,255.255.0.0,10.9.0.1,10.9.0.2]\r\n");
}

TEST(Wiz550s2eSettings, DhcpWithoutServerFallsBackToStatic) {
  Harness h(nlohmann::json{{"factory", {{"dhcp_use", true}}}});
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+NSET\n"), "[S,,D,192.168.11.100,255.255.255.0,192.168.11.1,8.8.8.8]\r\n");
}

TEST(Wiz550s2eSettings, DnsAtBootResolvesTheRemoteHost) {
  Harness h(nlohmann::json{{"factory", {{"dns_use", true}, {"dns_domain_name", "server.example"}}}},
            nlohmann::json{{"address_map", {{"server.example", "10.20.30.40"}}}});
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+MMODE\n"), "[S,,S,5000,10.20.30.40,5000]\r\n");
}

TEST(Wiz550s2eSettings, FdnsFailurePrintsDnsTimeout) {
  Harness h;
  h.boot_into_at_mode();
  h.feed("AT+FDNS=nothing.invalid\n");
  EXPECT_EQ(h.take_output(22), "[D,,13]\r\nDNS Timeout\r\n\r\n");
}

TEST(Wiz550s2eSettings, InputTypedDuringFdnsIsProcessedAfterwards) {
  Harness h(nlohmann::json::object(), nlohmann::json{{"address_map", {{"a.example", "1.2.3.4"}}}});
  h.boot_into_at_mode();
  h.feed("AT+FDNS=a.example\nAT\n");
  EXPECT_EQ(h.take_output(24), "[D,,9]\r\n1.2.3.4\r\n\r\n[S]\r\n");
}

TEST(Wiz550s2eSettings, FdnsQueryQuirkHangs) {
  Harness h(nlohmann::json{{"quirks", {{"fdns_query_fatal_hang", true}}}});
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+FDNS?\n"), "### ERROR ### hdl_fdns(1080): wrong sign(1)\r\n");
  EXPECT_EQ(h.send("AT\n"), "");
  h.reset();
  EXPECT_EQ(h.enter_at_mode(), kBanner);
}

}  // namespace
}  // namespace simdev::wiz550s2e::test
