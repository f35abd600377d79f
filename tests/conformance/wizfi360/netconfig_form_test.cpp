// Decoding of the WIZ_NETCONFIG page's form posts (the HTTP itself is Beast's and is covered by integration tests).
#include <gtest/gtest.h>

#include "devices/wizfi360/netconfig_page.hpp"

namespace {

using simdev::wizfi360::form_field;

TEST(NetconfigForm, ReadsNamedFields) {
  EXPECT_EQ(form_field("ssid=WIZnet&password=wiznet1234", "ssid"), "WIZnet");
  EXPECT_EQ(form_field("ssid=WIZnet&password=wiznet1234", "password"), "wiznet1234");
}

TEST(NetconfigForm, DecodesPercentAndPlus) {
  EXPECT_EQ(form_field("ssid=My+Net%2C%22x%22&password=", "ssid"), "My Net,\"x\"");
  EXPECT_EQ(form_field("ssid=a&password=", "password"), "");
}

TEST(NetconfigForm, MissingOrMalformedFieldIsAbsent) {
  EXPECT_FALSE(form_field("ssid=a", "password"));
  EXPECT_FALSE(form_field("ssid=%2", "ssid"));
  EXPECT_FALSE(form_field("ssid=%zz", "ssid"));
}

}  // namespace
