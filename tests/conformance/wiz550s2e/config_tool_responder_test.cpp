// Configuration-tool protocol, module side (spec §5): the wire examples of §5.4 byte for byte, every command with
// key 0 and a non-zero key, discovery filters, and the silent drops.
#include <gtest/gtest.h>

#include "devices/wiz550s2e/config_tool_requests.hpp"
#include "devices/wiz550s2e/config_tool_responder.hpp"
#include "devices/wiz550s2e/device_config.hpp"
#include "devices/wiz550s2e/eeprom_image.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

Bytes hex(std::string_view text) {
  Bytes out;
  std::string digits;
  for (char c : text) {
    if (c == ' ') continue;
    digits.push_back(c);
    if (digits.size() == 2) {
      out.push_back(static_cast<std::uint8_t>(std::stoi(digits, nullptr, 16)));
      digits.clear();
    }
  }
  return out;
}

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

constexpr Mac kMac{0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x8a};
const std::string kMacHex = "00 08 DC 1D BB 8A";
const std::string kPasswordWiznet = "06 57 49 5A 6E 65 74 00 00 00 00 00 00 00 00 00 00";

// Spec §4.2, MAC 00:08:dc:1d:bb:8a.
Bytes factory_image_bytes() {
  return hex(
      "e8 00 00 00 00 57 49 5a 35 35 30 53 32 45 00 00"
      "00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 03"
      "01 00 08 dc 1d bb 8a c0 a8 0b 64 c0 a8 0b 01 ff"
      "ff ff 00 01 00 c0 a8 0b 65 88 13 88 13 00 00 e8"
      "03 00 00 00 2d 2d 2d 2d 00 00 00 c2 01 00 08 00"
      "01 00 57 49 5a 6e 65 74 00 00 00 00 57 49 5a 6e"
      "65 74 00 00 00 00 00 00 08 08 08 08 00 00 00 00" +
      std::string(46 * 2, '0') + "01 2b 2b 2b" + std::string(70 * 2, '0'));
}

class ConfigToolResponder : public ::testing::Test {
 protected:
  Settings module = load_device_config(nlohmann::json::object()).factory;

  std::optional<Bytes> reply_to(const Bytes& request) { return respond(request, module).reply; }
  Outcome outcome(const Bytes& request) { return respond(request, module); }
};

TEST_F(ConfigToolResponder, FactoryImageIsTheSpecImage) { EXPECT_EQ(to_image(module), factory_image_bytes()); }

TEST_F(ConfigToolResponder, SearchWithKeyZero) {
  EXPECT_EQ(reply_to(hex("A5 80 00 A1 AA 00 00")), hex("A5 80 00 A1 55 0C 00 00 00 00 01 03 01" + kMacHex));
}

TEST_F(ConfigToolResponder, SearchWithKeyFive) {
  EXPECT_EQ(reply_to(hex("A5 85 00 A1 AA 00 00")), hex("A5 85 00 A1 55 0C 00 05 05 05 04 06 04 05 0D D9 18 BE 8F"));
}

TEST_F(ConfigToolResponder, SearchWithoutEncryptionFlagIsPlain) {
  EXPECT_EQ(reply_to(hex("A5 05 01 A1 AA 00 00")), hex("A5 05 01 A1 55 0C 00 00 00 00 01 03 01" + kMacHex));
}

TEST_F(ConfigToolResponder, GetInfoWithKeyZero) {
  const auto reply = reply_to(hex("A5 80 00 B0 AA 06 00" + kMacHex));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->size(), 245u);
  EXPECT_EQ(*reply, cat(hex("A5 80 00 B0 55 EE 00" + kMacHex), factory_image_bytes()));
}

TEST_F(ConfigToolResponder, GetInfoWithKeyThirtyOne) {
  Bytes request = hex("A5 9F 01 B0 AA 06 00");
  for (auto b : kMac) request.push_back(b ^ 0x1F);
  Bytes body = cat(Bytes(kMac.begin(), kMac.end()), factory_image_bytes());
  for (auto& b : body) b ^= 0x1F;
  EXPECT_EQ(reply_to(request), cat(hex("A5 9F 01 B0 55 EE 00"), body));
}

TEST_F(ConfigToolResponder, GetInfoReportsLiveStatus) {
  module.state = 1;
  const auto reply = reply_to(hex("A5 80 00 B0 AA 06 00" + kMacHex));
  ASSERT_TRUE(reply);
  EXPECT_EQ((*reply)[7 + 6 + 52], 1);
}

TEST_F(ConfigToolResponder, ResetWithPassword) {
  const auto out = outcome(hex("A5 80 00 E0 AA 17 00" + kMacHex + kPasswordWiznet));
  EXPECT_EQ(out.reply, hex("A5 80 00 E0 55 06 00" + kMacHex));
  EXPECT_EQ(out.action, Action::reset);
}

TEST_F(ConfigToolResponder, ResetWithKeySeven) {
  Bytes request = encode({0x87, 1, op::reset, kRequest, 0}, auth_body(kMac, "WIZnet"));
  Bytes body(kMac.begin(), kMac.end());
  for (auto& b : body) b ^= 7;
  const auto out = outcome(request);
  EXPECT_EQ(out.reply, cat(hex("A5 87 01 E0 55 06 00"), body));
  EXPECT_EQ(out.action, Action::reset);
}

TEST_F(ConfigToolResponder, FactoryResetWithPassword) {
  const auto out = outcome(hex("A5 80 00 F0 AA 17 00" + kMacHex + kPasswordWiznet));
  EXPECT_EQ(out.reply, hex("A5 80 00 F0 55 06 00" + kMacHex));
  EXPECT_EQ(out.action, Action::factory_reset);
}

TEST_F(ConfigToolResponder, FactoryResetWithKeyHundredTwentySix) {
  const auto out = outcome(encode({0xFE, 0, op::factory_reset, kRequest, 0}, auth_body(kMac, "WIZnet")));
  Bytes body(kMac.begin(), kMac.end());
  for (auto& b : body) b ^= 126;
  EXPECT_EQ(out.reply, cat(hex("A5 FE 00 F0 55 06 00"), body));
  EXPECT_EQ(out.action, Action::factory_reset);
}

TEST_F(ConfigToolResponder, SetInfoRestoresVersionAndRepliesWithTheNewStructure) {
  Settings wanted = module;
  wanted.local_ip = {192, 168, 11, 7};
  wanted.working_mode = WorkingMode::client;
  wanted.fw_ver = {0, 0, 0};  // the tool leaves the version out
  Bytes image = to_image(wanted);
  const auto out = outcome(cat(hex("A5 80 00 C0 AA FF 00" + kMacHex + kPasswordWiznet), image));
  Bytes restored = image;
  restored[30] = 1, restored[31] = 3, restored[32] = 1;
  EXPECT_EQ(out.reply, cat(hex("A5 80 00 C0 55 EE 00" + kMacHex), restored));
  EXPECT_EQ(out.action, Action::apply_settings);
  ASSERT_TRUE(out.settings);
  EXPECT_EQ(out.settings->local_ip, (Ip4{192, 168, 11, 7}));
  EXPECT_EQ(out.settings->working_mode, WorkingMode::client);
  EXPECT_EQ(out.settings->fw_ver, (std::array<std::uint8_t, 3>{1, 3, 1}));
}

TEST_F(ConfigToolResponder, SetInfoWithKeyNine) {
  Bytes image = to_image(module);
  const auto out = outcome(encode({0x89, 1, op::set_info, kRequest, 0}, set_info_body(kMac, "WIZnet", image)));
  Bytes body = cat(Bytes(kMac.begin(), kMac.end()), image);
  for (auto& b : body) b ^= 9;
  EXPECT_EQ(out.reply, cat(hex("A5 89 01 C0 55 EE 00"), body));
  EXPECT_EQ(out.action, Action::apply_settings);
}

TEST_F(ConfigToolResponder, UploadInitWithPassword) {
  const auto out = outcome(encode({0x80, 1, op::upload_init, kRequest, 0},
                                  upload_body(kMac, "WIZnet", {192, 168, 11, 50}, 69, "app.bin")));
  EXPECT_EQ(out.reply, hex("A5 80 01 D1 55 06 00" + kMacHex));
  EXPECT_EQ(out.action, Action::firmware_upload);
  ASSERT_TRUE(out.upload);
  EXPECT_EQ(out.upload->server, (Ip4{192, 168, 11, 50}));
  EXPECT_EQ(out.upload->port, 69);
  EXPECT_EQ(out.upload->file, "app.bin");
}

TEST_F(ConfigToolResponder, UploadInitWithKeyThree) {
  const auto out = outcome(encode({0x83, 0, op::upload_init, kRequest, 0},
                                  upload_body(kMac, "WIZnet", {10, 0, 0, 1}, 6969, "fw.bin")));
  Bytes body(kMac.begin(), kMac.end());
  for (auto& b : body) b ^= 3;
  EXPECT_EQ(out.reply, cat(hex("A5 83 00 D1 55 06 00"), body));
  ASSERT_TRUE(out.upload);
  EXPECT_EQ(out.upload->port, 6969);
}

TEST_F(ConfigToolResponder, OtherUploadCodesAreIgnored) {
  const Bytes body = upload_body(kMac, "WIZnet", {10, 0, 0, 1}, 69, "fw.bin");
  EXPECT_FALSE(reply_to(encode({0x80, 1, 0xD0, kRequest, 0}, body)));
  EXPECT_FALSE(reply_to(encode({0x80, 1, 0xD2, kRequest, 0}, body)));
}

TEST_F(ConfigToolResponder, WrongPasswordGetsNoReply) {
  EXPECT_FALSE(reply_to(encode({0x80, 0, op::reset, kRequest, 0}, auth_body(kMac, "wiznet"))));
  EXPECT_FALSE(reply_to(encode({0x80, 0, op::factory_reset, kRequest, 0}, auth_body(kMac, "WIZne"))));
  EXPECT_FALSE(reply_to(encode({0x80, 0, op::set_info, kRequest, 0}, set_info_body(kMac, "x", to_image(module)))));
  EXPECT_FALSE(reply_to(encode({0x80, 0, op::upload_init, kRequest, 0}, upload_body(kMac, "", {1, 2, 3, 4}, 69, "f"))));
}

TEST_F(ConfigToolResponder, TenCharacterPasswordRunsIntoTheConnectionPassword) {
  module.pw_setting = "ABCDEFGHIJ";
  EXPECT_FALSE(reply_to(encode({0x80, 0, op::reset, kRequest, 0}, auth_body(kMac, "ABCDEFGHIJ"))));
  EXPECT_TRUE(reply_to(encode({0x80, 0, op::reset, kRequest, 0}, auth_body(kMac, "ABCDEFGHIJWIZnet"))));
}

TEST_F(ConfigToolResponder, WrongMacGetsNoReply) {
  const Mac other{0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x8b};
  EXPECT_FALSE(reply_to(encode({0x80, 0, op::get_info, kRequest, 0}, get_info_body(other))));
  EXPECT_FALSE(reply_to(encode({0x80, 0, op::reset, kRequest, 0}, auth_body(other, "WIZnet"))));
}

TEST_F(ConfigToolResponder, LengthFieldMismatchGetsNoReply) {
  EXPECT_FALSE(reply_to(hex("A5 80 00 B0 AA 07 00" + kMacHex)));
  EXPECT_FALSE(reply_to(hex("A5 80 00 B0 AA 05 00" + kMacHex)));
  EXPECT_FALSE(reply_to(hex("A5 80 00 A1 AA 00 00 00")));
  EXPECT_FALSE(reply_to(hex("A5 80 00 A1 AA 00")));
}

TEST_F(ConfigToolResponder, BodyOfTheWrongSizeGetsNoReply) {
  EXPECT_FALSE(reply_to(hex("A5 80 00 B0 AA 07 00" + kMacHex + "00")));
  EXPECT_FALSE(reply_to(hex("A5 80 00 E0 AA 06 00" + kMacHex)));
}

TEST_F(ConfigToolResponder, BadStxOrDirectionGetsNoReply) {
  EXPECT_FALSE(reply_to(hex("A4 80 00 A1 AA 00 00")));
  EXPECT_FALSE(reply_to(hex("A5 80 00 A1 55 00 00")));
}

TEST_F(ConfigToolResponder, UnknownCommandsGetNoReply) {
  EXPECT_FALSE(reply_to(hex("A5 80 00 A0 AA 00 00")));
  EXPECT_FALSE(reply_to(hex("A5 80 00 A6 AA 00 00")));
  EXPECT_FALSE(reply_to(hex("A5 80 00 90 AA 00 00")));
  EXPECT_FALSE(reply_to(hex("A5 80 00 00 AA 00 00")));
}

TEST_F(ConfigToolResponder, HighNibbleSelectsTheCommand) {
  EXPECT_EQ(reply_to(hex("A5 80 00 B7 AA 06 00" + kMacHex)),
            cat(hex("A5 80 00 B7 55 EE 00" + kMacHex), factory_image_bytes()));
}

TEST_F(ConfigToolResponder, DiscoverByProductMatchesOnlyWiz550s2e) {
  const Bytes reply_body = discovery_reply({1, 3, 1}, kMac);
  EXPECT_EQ(reply_to(encode({0x80, 0, op::discover_product, kRequest, 0}, product_body({0, 0, 0}, {9, 9, 9}, 7))),
            encode({0x80, 0, op::discover_product, kReply, 0}, reply_body));
  EXPECT_FALSE(reply_to(encode({0x80, 0, op::discover_product, kRequest, 0}, product_body({1, 2, 0}, {1, 3, 1}, 0))));
}

TEST_F(ConfigToolResponder, DiscoverByMacRangeChecksEveryByte) {
  auto found = [&](Mac first, Mac last) {
    return reply_to(encode({0x80, 0, op::discover_mac_range, kRequest, 0}, mac_range_body(first, last))).has_value();
  };
  EXPECT_TRUE(found(kMac, kMac));
  EXPECT_TRUE(found({0, 0, 0, 0, 0, 0}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));
  EXPECT_TRUE(found({0x00, 0x08, 0xdc, 0x00, 0x00, 0x00}, {0x00, 0x08, 0xdc, 0xff, 0xff, 0xff}));
  // Numerically inside 00:08:dc:1d:00:00 .. 00:08:dc:1e:ff:ff, but byte 5 (0x8a) is outside [0x90, 0xff].
  EXPECT_FALSE(found({0x00, 0x08, 0xdc, 0x1d, 0x00, 0x90}, {0x00, 0x08, 0xdc, 0x1e, 0xff, 0xff}));
  EXPECT_FALSE(found({0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x8b}, {0x00, 0x08, 0xdc, 0x1d, 0xbb, 0xff}));
  EXPECT_FALSE(found({0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x00}, {0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x89}));
}

TEST_F(ConfigToolResponder, DiscoverByAliasMatchesPrefixes) {
  auto found = [&](const std::string& alias) {
    return reply_to(encode({0x80, 0, op::discover_alias, kRequest, 0}, alias_body(alias, 0))).has_value();
  };
  EXPECT_TRUE(found(""));
  EXPECT_TRUE(found("WIZ"));
  EXPECT_TRUE(found("WIZ550S2E"));
  EXPECT_FALSE(found("WIZ550S2EX"));
  EXPECT_FALSE(found("wiz"));
  EXPECT_FALSE(found("S2E"));
}

TEST_F(ConfigToolResponder, DiscoverMixedAlwaysAnswers) {
  EXPECT_EQ(reply_to(encode({0x83, 0, op::discover_mixed, kRequest, 0}, mixed_body())),
            encode({0x83, 0, op::discover_mixed, kReply, 0}, discovery_reply({1, 3, 1}, kMac)));
}

}  // namespace
}  // namespace simdev::wiz550s2e::config_tool
