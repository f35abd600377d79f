// Spec §4.4 bootloader guard, reproduced only with the quirk `bootloader_mac_prompt`.
#include <gtest/gtest.h>

#include "tests/conformance/wiz550s2e/harness.hpp"

namespace simdev::wiz550s2e::test {
namespace {

// Stores a MAC outside 00:08:DC plus a saved non-default IP, then resets the module; returns what the
// reset printed (the boot runs in the same loop pass).
std::string store_foreign_mac_and_reset(Harness& h) {
  h.boot_into_at_mode();
  EXPECT_EQ(h.send("AT+NSET-2,10.1.1.1\n"), "[S]\r\n");
  EXPECT_EQ(h.send("AT+MSAVE\n"), "[S]\r\n");
  EXPECT_EQ(h.send("AT+NMAC=11:22:33:44:55:66\n"), "[S]\r\n");
  return h.send("AT+MRST\n");
}

TEST(Wiz550s2eBootloader, ForeignMacStopsAtThePromptWhenTheQuirkIsOn) {
  Harness h(nlohmann::json{{"quirks", {{"bootloader_mac_prompt", true}}}});
  EXPECT_EQ(store_foreign_mac_and_reset(h), "[S]\r\nInput MAC ? ");
  ASSERT_EQ(h.mode(), "bootloader");
  EXPECT_EQ(h.send("x\r\n"), "");  // nothing but the start byte is heard
  EXPECT_EQ(h.send("S"), "R");
  EXPECT_EQ(h.send("0008dc"), "0008dc");
  EXPECT_EQ(h.send("-"), "");  // not a hex digit: ignored, not echoed
  EXPECT_EQ(h.send("0A0b0c"), "0A0b0c\r\nOK\r\n");
  ASSERT_TRUE(h.run_until([&] { return h.mode() == "data"; }));

  ASSERT_EQ(h.enter_at_mode(), kBanner);
  EXPECT_EQ(h.send("AT+NMAC?\n"), "[S,,00:08:dc:0a:0b:0c]\r\n");
  EXPECT_EQ(h.send("AT+NSET?2\n"), "[S,,192.168.11.100]\r\n");  // the bootloader loaded factory defaults
  auto stored = h.flash->load();
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->at("local_ip"), "192.168.11.100");
}

TEST(Wiz550s2eBootloader, ForeignMacBootsNormallyByDefault) {
  Harness h;
  EXPECT_EQ(store_foreign_mac_and_reset(h), "[S]\r\n");
  ASSERT_TRUE(h.run_until([&] { return h.mode() == "data"; }));
  EXPECT_EQ(h.take(), "");
  ASSERT_EQ(h.enter_at_mode(), kBanner);
  EXPECT_EQ(h.send("AT+NMAC?\n"), "[S,,11:22:33:44:55:66]\r\n");
  EXPECT_EQ(h.send("AT+NSET?2\n"), "[S,,10.1.1.1]\r\n");
}

}  // namespace
}  // namespace simdev::wiz550s2e::test
