#include <gtest/gtest.h>

#include "libsim/at/args.hpp"

namespace {

using namespace simdev::at;

TEST(AtArgs, SplitsQuotedAndPlainArguments) {
  auto a = split_args(R"("WIZNETSZ","",12)");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ((*a)[0].text, "WIZNETSZ");
  EXPECT_TRUE((*a)[0].quoted);
  EXPECT_EQ((*a)[1].text, "");
  EXPECT_TRUE((*a)[1].quoted);
  EXPECT_EQ((*a)[2].text, "12");
  EXPECT_FALSE((*a)[2].quoted);
}

TEST(AtArgs, BackslashEscapesQuoteCommaAndBackslash) {
  auto a = split_args(R"("ab\\c","12345678\"\\","x\,y")");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ((*a)[0].text, "ab\\c");
  EXPECT_EQ((*a)[1].text, "12345678\"\\");
  EXPECT_EQ((*a)[2].text, "x,y");
}

TEST(AtArgs, OmittedMiddleArgumentIsEmpty) {
  auto a = split_args("1,,3");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 3u);
  EXPECT_TRUE((*a)[1].empty());
}

TEST(AtArgs, UnterminatedQuoteIsRejected) { EXPECT_FALSE(split_args(R"("abc,1)")); }

TEST(AtArgs, TextGluedToAClosingQuoteIsRejected) { EXPECT_FALSE(split_args(R"("abc"x,1)")); }

TEST(AtArgs, QuoteInsidePlainArgumentIsRejected) { EXPECT_FALSE(split_args(R"(ab"c")")); }

TEST(AtArgs, IntegersHonourTheirRange) {
  EXPECT_EQ(to_int(Arg{"3", false}, 1, 3), 3);
  EXPECT_EQ(to_int(Arg{"-75", false}, -100, 0), -75);
  EXPECT_FALSE(to_int(Arg{"4", false}, 1, 3));
  EXPECT_FALSE(to_int(Arg{"3", true}, 1, 3));
  EXPECT_FALSE(to_int(Arg{"3x", false}, 1, 3));
  EXPECT_FALSE(to_int(Arg{"", false}, 0, 3));
}

TEST(AtArgs, StringsMustBeQuotedAndWithinLength) {
  EXPECT_EQ(to_string(Arg{"abc", true}, 1, 3), "abc");
  EXPECT_FALSE(to_string(Arg{"abc", false}));
  EXPECT_FALSE(to_string(Arg{"abcd", true}, 1, 3));
}

TEST(AtArgs, ParsesAndFormatsIpv4) {
  auto ip = parse_ipv4("192.168.36.1");
  ASSERT_TRUE(ip);
  EXPECT_EQ(format_ipv4(*ip), "192.168.36.1");
  EXPECT_EQ(ipv4_to_u32(*ip), 0xC0A82401u);
  EXPECT_EQ(u32_to_ipv4(0xC0A82401u), *ip);
}

TEST(AtArgs, RejectsMalformedIpv4) {
  EXPECT_FALSE(parse_ipv4("256.1.1.1"));
  EXPECT_FALSE(parse_ipv4("1.2.3"));
  EXPECT_FALSE(parse_ipv4("1.2.3.4.5"));
  EXPECT_FALSE(parse_ipv4("1.2.3.a"));
  EXPECT_FALSE(parse_ipv4("1..3.4"));
}

TEST(AtArgs, ParsesMacOfEitherCaseAndFormatsLowerCase) {
  auto mac = parse_mac("00:08:DC:11:12:1f");
  ASSERT_TRUE(mac);
  EXPECT_EQ(format_mac(*mac), "00:08:dc:11:12:1f");
}

TEST(AtArgs, RejectsMalformedMac) {
  EXPECT_FALSE(parse_mac("00:08:dc:11:12"));
  EXPECT_FALSE(parse_mac("00-08-dc-11-12-13"));
  EXPECT_FALSE(parse_mac("00:08:dc:11:12:1g"));
}

}  // namespace
