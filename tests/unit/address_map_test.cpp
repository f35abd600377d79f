#include "libsim/net/address_map.hpp"

#include <gtest/gtest.h>

namespace simdev::net {
namespace {

AddressMap map_of(const nlohmann::json& j) { return AddressMap::from_json(j); }

TEST(AddressMap, ExactHostPortBeatsExactHost) {
  auto map = map_of({{"192.168.11.3", "127.0.0.1"}, {"192.168.11.3:5000", "127.0.0.1:15000"}});
  EXPECT_EQ(map.map({"192.168.11.3", 5000}), (HostPort{"127.0.0.1", 15000}));
}

TEST(AddressMap, ExactHostAppliesToOtherPorts) {
  auto map = map_of({{"192.168.11.3", "127.0.0.1"}, {"192.168.11.3:5000", "127.0.0.1:15000"}});
  EXPECT_EQ(map.map({"192.168.11.3", 6000}), (HostPort{"127.0.0.1", 6000}));
}

TEST(AddressMap, ExactHostBeatsWildcard) {
  auto map = map_of({{"*.azure-devices.net", "127.0.0.1:18883"}, {"hub.azure-devices.net", "127.0.0.2"}});
  EXPECT_EQ(map.map({"hub.azure-devices.net", 8883}), (HostPort{"127.0.0.2", 8883}));
}

TEST(AddressMap, LongestWildcardWins) {
  auto map = map_of({{"*.net", "127.0.0.1:1"}, {"*.azure-devices.net", "127.0.0.1:2"}});
  EXPECT_EQ(map.map({"a.b.azure-devices.net", 8883}), (HostPort{"127.0.0.1", 2}));
}

TEST(AddressMap, WildcardWithPortBeatsSameWildcardWithout) {
  auto map = map_of({{"*.example.com", "127.0.0.1:1"}, {"*.example.com:8883", "127.0.0.1:2"}});
  EXPECT_EQ(map.map({"x.example.com", 8883}), (HostPort{"127.0.0.1", 2}));
  EXPECT_EQ(map.map({"x.example.com", 1883}), (HostPort{"127.0.0.1", 1}));
}

TEST(AddressMap, WildcardDoesNotMatchBareSuffix) {
  auto map = map_of({{"*.azure-devices.net", "127.0.0.1:18883"}});
  EXPECT_EQ(map.map({"azure-devices.net", 8883}), (HostPort{"azure-devices.net", 8883}));
}

TEST(AddressMap, ValueWithoutPortKeepsDestinationPort) {
  auto map = map_of({{"io.adafruit.com", "127.0.0.1"}});
  EXPECT_EQ(map.map({"io.adafruit.com", 1883}), (HostPort{"127.0.0.1", 1883}));
}

TEST(AddressMap, UnmappedDestinationPassesThrough) {
  auto map = map_of({{"io.adafruit.com", "127.0.0.1"}});
  EXPECT_EQ(map.map({"worldtimeapi.org", 80}), (HostPort{"worldtimeapi.org", 80}));
}

TEST(AddressMap, HostNamesCompareCaseInsensitively) {
  auto map = map_of({{"IO.Adafruit.com", "127.0.0.1"}});
  EXPECT_EQ(map.map({"io.ADAFRUIT.com", 1883}), (HostPort{"127.0.0.1", 1883}));
}

TEST(AddressMap, MapHostUsesOnlyPortlessRules) {
  auto map = map_of({{"a.example", "127.0.0.1:1"}, {"b.example:80", "127.0.0.2"}});
  EXPECT_EQ(map.map_host("a.example"), std::optional<std::string>("127.0.0.1"));
  EXPECT_EQ(map.map_host("b.example"), std::nullopt);
}

TEST(AddressMap, BracketedIpv6KeyAndValue) {
  auto map = map_of({{"[fe80::1]:5000", "[::1]:15000"}});
  EXPECT_EQ(map.map({"fe80::1", 5000}), (HostPort{"::1", 15000}));
}

TEST(AddressMap, ReverseOfExactPortRule) {
  auto map = map_of({{"192.168.11.3:5000", "127.0.0.1:15000"}});
  EXPECT_EQ(map.reverse({"127.0.0.1", 15000}), (HostPort{"192.168.11.3", 5000}));
}

TEST(AddressMap, ReverseOfPortlessRuleKeepsPort) {
  auto map = map_of({{"192.168.11.50", "127.0.0.1"}});
  EXPECT_EQ(map.reverse({"127.0.0.1", 40001}), (HostPort{"192.168.11.50", 40001}));
}

TEST(AddressMap, ReversePrefersRuleWithTargetPort) {
  auto map = map_of({{"192.168.11.50", "127.0.0.1"}, {"192.168.11.3:5000", "127.0.0.1:15000"}});
  EXPECT_EQ(map.reverse({"127.0.0.1", 15000}), (HostPort{"192.168.11.3", 5000}));
}

TEST(AddressMap, ReverseIgnoresNameKeys) {
  auto map = map_of({{"io.adafruit.com", "127.0.0.1"}});
  EXPECT_EQ(map.reverse({"127.0.0.1", 1883}), std::nullopt);
}

TEST(AddressMap, ReverseOfUnknownEndpointIsNullopt) {
  auto map = map_of({{"192.168.11.3:5000", "127.0.0.1:15000"}});
  EXPECT_EQ(map.reverse({"127.0.0.1", 15001}), std::nullopt);
}

TEST(AddressMap, BadPortErrorNamesTheKey) {
  try {
    map_of({{"a.example:99999", "127.0.0.1"}});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "address_map[\"a.example:99999\"]: bad port \"99999\"");
  }
}

TEST(AddressMap, NonStringValueErrorNamesTheKey) {
  try {
    map_of({{"a.example", 5}});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "address_map[\"a.example\"]: value must be a string");
  }
}

TEST(AddressMap, WildcardInsideNameIsRejected) {
  try {
    map_of({{"a.*.example", "127.0.0.1"}});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "address_map[\"a.*.example\"]: a wildcard must be a leading \"*.\"");
  }
}

TEST(AddressMap, NonObjectIsRejected) {
  EXPECT_THROW(map_of(nlohmann::json::array()), std::invalid_argument);
}

}  // namespace
}  // namespace simdev::net
