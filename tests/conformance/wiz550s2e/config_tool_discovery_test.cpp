// Discovery A1-A5 (spec §5.3) byte for byte, with key 0 and a non-zero key, and the filters' edge cases: MAC range
// bytes compared one by one with inclusive bounds, alias as a case-sensitive C-string prefix of the module name,
// and the mixed search answering any body.
#include <gtest/gtest.h>

#include "devices/wiz550s2e/config_tool_requests.hpp"
#include "devices/wiz550s2e/config_tool_responder.hpp"
#include "tests/conformance/wiz550s2e/config_tool_wire.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

using wire::hex;
using wire::kMac;

// The 12-byte discovery reply body of the §5.4 module with key 0.
const std::string kReplyKey0 = "00 00 00 01 03 01 00 08 DC 1D BB 8A";

std::string repeat(std::string_view byte, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) (out += byte) += ' ';
  return out;
}

class Discovery : public ::testing::Test {
 protected:
  Settings module = wire::spec_module();
  std::optional<Bytes> reply_to(const Bytes& request) { return respond(request, module).reply; }
  bool found(std::uint8_t op, const Bytes& body) {
    return reply_to(encode({0x80, 0, op, kRequest, 0}, body)).has_value();
  }
};

TEST_F(Discovery, AllKeyZeroIsTheSpecExample) {
  EXPECT_EQ(reply_to(hex("A5 80 00 A1 AA 00 00")), hex("A5 80 00 A1 55 0C 00" + kReplyKey0));
}

TEST_F(Discovery, AllKeyFiveIsTheSpecExample) {
  EXPECT_EQ(reply_to(hex("A5 85 00 A1 AA 00 00")), hex("A5 85 00 A1 55 0C 00 05 05 05 04 06 04 05 0D D9 18 BE 8F"));
}

TEST_F(Discovery, ProductKeyZero) {
  EXPECT_EQ(reply_to(hex("A5 80 00 A2 AA 07 00 00 00 00 01 03 01 00")), hex("A5 80 00 A2 55 0C 00" + kReplyKey0));
}

TEST_F(Discovery, ProductKeyFive) {
  EXPECT_EQ(reply_to(hex("A5 85 00 A2 AA 07 00 05 05 05 04 06 04 05")),
            hex("A5 85 00 A2 55 0C 00 05 05 05 04 06 04 05 0D D9 18 BE 8F"));
}

TEST_F(Discovery, ProductIgnoresVersionAndOption) {
  EXPECT_EQ(reply_to(hex("A5 80 00 A2 AA 07 00 00 00 00 09 09 09 FF")), hex("A5 80 00 A2 55 0C 00" + kReplyKey0));
}

TEST_F(Discovery, ProductOtherThanWiz550s2eIsSilent) {
  EXPECT_FALSE(reply_to(hex("A5 80 00 A2 AA 07 00 01 02 00 01 03 01 00")));  // WIZ550WEB
  EXPECT_FALSE(reply_to(hex("A5 80 00 A2 AA 07 00 02 00 00 01 03 01 00")));  // WIZ550SR
  EXPECT_FALSE(reply_to(hex("A5 85 00 A2 AA 07 00 00 00 00 01 03 01 00")));  // plaintext under key 5: 05 05 05
}

TEST_F(Discovery, MacRangeKeyZero) {
  EXPECT_EQ(reply_to(hex("A5 80 00 A3 AA 0C 00 00 08 DC 1D BB 8A 00 08 DC 1D BB 8A")),
            hex("A5 80 00 A3 55 0C 00" + kReplyKey0));
}

TEST_F(Discovery, MacRangeKeyFortyTwo) {
  EXPECT_EQ(reply_to(hex("A5 AA 00 A3 AA 0C 00 2A 22 F6 37 91 A0 2A 22 F6 37 91 A0")),
            hex("A5 AA 00 A3 55 0C 00 2A 2A 2A 2B 29 2B 2A 22 F6 37 91 A0"));
}

TEST_F(Discovery, MacRangeBoundsAreInclusive) {
  EXPECT_TRUE(found(op::discover_mac_range, mac_range_body(kMac, {0x00, 0x08, 0xdc, 0xff, 0xff, 0xff})));
  EXPECT_TRUE(found(op::discover_mac_range, mac_range_body({0x00, 0x08, 0xdc, 0x00, 0x00, 0x00}, kMac)));
  EXPECT_TRUE(found(op::discover_mac_range, mac_range_body({0, 0, 0, 0, 0, 0}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff})));
  EXPECT_FALSE(found(op::discover_mac_range, mac_range_body({0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x8b}, {0x00, 0x08, 0xdc, 0x1d, 0xbb, 0xff})));
  EXPECT_FALSE(found(op::discover_mac_range, mac_range_body({0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x00}, {0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x89})));
}

TEST_F(Discovery, SingleMacRangeFindsOnlyThatMac) {
  EXPECT_TRUE(found(op::discover_mac_range, mac_range_body(kMac, kMac)));
  const Mac other{0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x8b};
  EXPECT_FALSE(found(op::discover_mac_range, mac_range_body(other, other)));
}

TEST_F(Discovery, MacRangeStartAfterEndFindsNothing) {
  EXPECT_FALSE(found(op::discover_mac_range, mac_range_body({0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {0, 0, 0, 0, 0, 0})));
  // Only the last byte reversed: no value lies in [0x90, 0x10].
  EXPECT_FALSE(found(op::discover_mac_range, mac_range_body({0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x90}, {0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x10})));
}

TEST_F(Discovery, MacRangeComparesEachByteNotTheNumber) {
  // Numerically 00:08:dc:1d:bb:8a lies between these, but byte 4 (0xbb) is outside [0x00, 0x10].
  EXPECT_FALSE(found(op::discover_mac_range, mac_range_body({0x00, 0x08, 0xdc, 0x1c, 0x00, 0x00}, {0x00, 0x08, 0xdc, 0x1e, 0x10, 0xff})));
}

TEST_F(Discovery, AliasKeyZero) {
  // "WIZ550", NUL padded to 32, option 0.
  EXPECT_EQ(reply_to(hex("A5 80 00 A4 AA 21 00 57 49 5A 35 35 30 " + repeat("00", 27))),
            hex("A5 80 00 A4 55 0C 00" + kReplyKey0));
}

TEST_F(Discovery, AliasKeySeventeen) {
  EXPECT_EQ(reply_to(hex("A5 91 00 A4 AA 21 00 46 58 4B 24 24 21 " + repeat("11", 27))),
            hex("A5 91 00 A4 55 0C 00 11 11 11 10 12 10 11 19 CD 0C AA 9B"));
}

TEST_F(Discovery, EmptyAliasMatchesEveryModule) { EXPECT_TRUE(found(op::discover_alias, alias_body("", 0))); }

TEST_F(Discovery, AliasEqualToTheWholeNameMatches) {
  EXPECT_TRUE(found(op::discover_alias, alias_body("WIZ550S2E", 0)));
}

TEST_F(Discovery, AliasLongerThanTheNameDoesNotMatch) {
  EXPECT_FALSE(found(op::discover_alias, alias_body("WIZ550S2E1", 0)));
  EXPECT_FALSE(found(op::discover_alias, alias_body(std::string(32, 'W'), 0)));  // fills the field, no NUL
}

TEST_F(Discovery, AliasIsCaseSensitive) {
  EXPECT_FALSE(found(op::discover_alias, alias_body("wiz550s2e", 0)));
  EXPECT_FALSE(found(op::discover_alias, alias_body("Wiz", 0)));
}

TEST_F(Discovery, AliasMustBeAPrefixNotASubstring) { EXPECT_FALSE(found(op::discover_alias, alias_body("S2E", 0))); }

TEST_F(Discovery, AliasEndsAtItsFirstNulAndIgnoresTheOption) {
  Bytes body = alias_body("WIZ", 0x7F);
  body[5] = 'x';  // after the terminator
  EXPECT_TRUE(found(op::discover_alias, body));
}

TEST_F(Discovery, AliasMatchesAFullLengthName) {
  module.module_name = "ABCDEFGHIJKLMNOPQRSTUVWXY";  // 25 characters: the whole field, no terminator
  EXPECT_TRUE(found(op::discover_alias, alias_body("ABCDEFGHIJKLMNOPQRSTUVWXY", 0)));
  EXPECT_FALSE(found(op::discover_alias, alias_body("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 0)));
}

TEST_F(Discovery, MixedKeyZero) {
  EXPECT_EQ(reply_to(hex("A5 80 00 A5 AA 34 00 " + repeat("00", 52))),
            hex("A5 80 00 A5 55 0C 00" + kReplyKey0));
}

TEST_F(Discovery, MixedKeyHundredTwentySeven) {
  EXPECT_EQ(reply_to(hex("A5 FF 00 A5 AA 34 00 " + repeat("7F", 52))), hex("A5 FF 00 A5 55 0C 00 7F 7F 7F 7E 7C 7E 7F 77 A3 62 C4 F5"));
}

TEST_F(Discovery, MixedAnswersAnyBody) {
  // Checks "none (always answers)": any content and any length, as long as the header's length is right.
  for (std::size_t size : {0u, 1u, 12u, 51u, 53u, 200u}) {
    Bytes body(size);
    for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<std::uint8_t>(i * 37 + 1);
    EXPECT_EQ(reply_to(encode({0x80, 0, op::discover_mixed, kRequest, 0}, body)), hex("A5 80 00 A5 55 0C 00" + kReplyKey0))
        << size;
  }
}

TEST_F(Discovery, OtherDiscoveryCodesAreSilent) {
  EXPECT_FALSE(reply_to(hex("A5 80 00 A0 AA 00 00")));
  EXPECT_FALSE(reply_to(hex("A5 80 00 A6 AA 00 00")));
  EXPECT_FALSE(reply_to(hex("A5 80 00 AF AA 00 00")));
}

}  // namespace
}  // namespace simdev::wiz550s2e::config_tool
