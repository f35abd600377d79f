// The WizFi360 personality through the real binary and a real pty: echo, joining an AP of the radio world,
// busy handling, the radio world driven over the control plane, and flash persistence across a restart.
#include <cstdio>

#include "tests/integration/simdev_fixture.hpp"

namespace simdev::test {
namespace {

constexpr std::string_view kBootBanner = "\xFC\r\nready\r\n";

class WizFi360Session : public SimdevFixture {
 protected:
  // Short Wi-Fi delays; `join_ms` is separate so a test can hold the module busy for a while.
  SimdevProcess& start_fast(int join_ms = 20) {
    return start_wizfi360({"--set", "timing.join_ms=" + std::to_string(join_ms), "--set", "timing.dhcp_ms=5",
                           "--set", "timing.scan_ms=20", "--set", "timing.rejoin_ms=10"});
  }
  SerialClient attach() {
    auto client = SerialClient::open_pty(process_->pty_link());
    EXPECT_EQ(attach_and_reboot(client, "wizfi360", "ready\r\n"), kBootBanner);
    return client;
  }
  // Sends a line and returns the answer up to and including `end`.
  static std::string ask(SerialClient& c, std::string_view line, std::string_view end = "OK\r\n") {
    c.write(line);
    return c.read_until(end);
  }
};

TEST_F(WizFi360Session, EchoOnAfterBootAndOffAfterAte0) {
  start_fast();
  auto c = attach();
  EXPECT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT\r\n"), "\r\nOK\r\n");
}

TEST_F(WizFi360Session, JoinsAConfiguredAccessPoint) {
  start_fast();
  auto c = attach();
  ASSERT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
  ASSERT_EQ(ask(c, "AT+CWMODE_CUR=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CWJAP_CUR=\"WIZnet\",\"wiznet1234\"\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CWJAP_CUR?\r\n"), "+CWJAP_CUR:\"WIZnet\",\"00:08:dc:6a:46:2e\",1,-57\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Session, LineDuringJoinIsAnsweredBusy) {
  start_fast(400);
  auto c = attach();
  ASSERT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
  ASSERT_EQ(ask(c, "AT+CWMODE_CUR=1\r\n"), "\r\nOK\r\n");
  c.write("AT+CWJAP_CUR=\"WIZnet\",\"wiznet1234\"\r\n");
  EXPECT_EQ(ask(c, "AT\r\n", "busy p...\r\n"), "\r\nbusy p...\r\n");
  EXPECT_EQ(c.read_until("OK\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Session, AccessPointDownOverControlPlaneDisconnects) {
  start_fast();
  auto c = attach();
  ASSERT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
  ASSERT_EQ(ask(c, "AT+CWMODE_CUR=1\r\n"), "\r\nOK\r\n");
  ASSERT_EQ(ask(c, "AT+CWJAP_CUR=\"WIZnet\",\"wiznet1234\"\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n");
  auto reply = control({{"op", "ap_down"}, {"device", "wizfi360"}, {"ssid", "WIZnet"}});
  EXPECT_EQ(reply.value("ok", false), true) << reply.dump();
  EXPECT_EQ(c.read_until("DISCONNECT\r\n"), "WIFI DISCONNECT\r\n");
  reply = control({{"op", "ap_up"}, {"device", "wizfi360"}, {"ssid", "WIZnet"}});
  EXPECT_EQ(reply.value("ok", false), true) << reply.dump();
  EXPECT_EQ(c.read_until("GOT IP\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\n");
}

TEST_F(WizFi360Session, DefSettingsSurviveARestartAndCurSettingsDoNot) {
  start_fast();
  {
    auto c = attach();
    ASSERT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
    ASSERT_EQ(ask(c, "AT+CWMODE_DEF=3\r\n"), "\r\nOK\r\n");
    ASSERT_EQ(ask(c, "AT+CWSAP_DEF=\"LabAP\",\"secret123\",6,3,2,0\r\n"), "\r\nOK\r\n");
    ASSERT_EQ(ask(c, "AT+CWDHCP_CUR=1,0\r\n"), "\r\nOK\r\n");
    ASSERT_EQ(ask(c, "AT+CIPSTAMAC_CUR=\"00:08:dc:aa:bb:cc\"\r\n"), "\r\nOK\r\n");
  }
  ASSERT_EQ(process_->terminate(), 0);
  start_fast();
  auto c = attach();
  ASSERT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CWMODE?\r\n"), "+CWMODE:3\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CWSAP?\r\n"), "+CWSAP:\"LabAP\",\"secret123\",6,3,2,0\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CWDHCP?\r\n"), "+CWDHCP:3\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTAMAC?\r\n"), "+CIPSTAMAC:\"00:08:dc:36:06:54\"\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Session, GpioPinDrivenOverControlPlaneIsRead) {
  start_fast();
  auto c = attach();
  ASSERT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
  ASSERT_EQ(ask(c, "AT+SYSIOSETCFG=12,1,1\r\n"), "\r\nOK\r\n");
  auto reply = control({{"op", "pin"}, {"device", "wizfi360"}, {"pin", 12}, {"level", 0}});
  EXPECT_EQ(reply.value("ok", false), true) << reply.dump();
  EXPECT_EQ(ask(c, "AT+SYSGPIOREAD=12\r\n"), "+SYSGPIOREAD:12,0,0\r\n\r\nOK\r\n");
  auto state = control({{"op", "state"}, {"device", "wizfi360"}});
  EXPECT_EQ(state["devices"]["wizfi360"]["pins"]["12"]["level"], 0) << state.dump();
}

// Runs curl against the page; returns its stdout (the HTTP body).
std::string curl(const std::string& args) {
  std::string out;
  FILE* pipe = ::popen(("curl -s -m 5 " + args).c_str(), "r");
  if (!pipe) return out;
  char buf[512];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  ::pclose(pipe);
  return out;
}

TEST_F(WizFi360Session, ProvisioningPagePostJoinsTheAccessPoint) {
  start_fast();
  auto c = attach();
  ASSERT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
  ASSERT_EQ(ask(c, "AT+CWMODE_CUR=3\r\n"), "\r\nOK\r\n");
  ASSERT_EQ(ask(c, "AT+WIZ_NETCONFIG\r\n"), "\r\nOK\r\n");
  auto state = control({{"op", "state"}, {"device", "wizfi360"}});
  const auto port = state["devices"]["wizfi360"]["netconfig_port"];
  ASSERT_TRUE(port.is_number()) << state.dump();
  const std::string url = "http://127.0.0.1:" + std::to_string(port.get<int>()) + "/";
  EXPECT_NE(curl(url).find("<form method=\"post\""), std::string::npos);
  const std::string body = curl("--data-urlencode ssid=WIZnet --data-urlencode password=wiznet1234 " + url);
  EXPECT_NE(body.find("Connecting to WIZnet"), std::string::npos) << body;
  EXPECT_EQ(c.read_until("connected wifi\r\n"),
            "smartconfig type:Web\r\nSmart get wifi info\r\nssid:WIZnet\r\npassword:wiznet1234\r\n"
            "WIFI CONNECTED\r\nWIFI GOT IP\r\nsmartconfig connected wifi\r\n");
}

TEST(WizFi360Config, BadRadioWorldIsAConfigErrorNamingTheField) {
  const auto r = run_simdev({"--device", "wizfi360", "--serial", "stdio", "--flash", "", "--set",
                             R"(world={"access_points":[{"ssid":""}]})"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("access point field ssid"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace simdev::test
