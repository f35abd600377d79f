// AddressMap::target_host and AddressMap::virtual_ipv4: what a name stands for (CIPDOMAIN, PING).
#include <gtest/gtest.h>

#include "libsim/net/address_map.hpp"

namespace simdev::net {
namespace {

AddressMap map_of(const nlohmann::json& j) { return AddressMap::from_json(j); }

TEST(AddressMapNames, TargetHostOfAPortlessRule) {
  EXPECT_EQ(map_of({{"io.adafruit.com", "127.0.0.1"}}).target_host("IO.adafruit.com"), "127.0.0.1");
}

TEST(AddressMapNames, TargetHostOfARuleKeyedWithAPort) {
  EXPECT_EQ(map_of({{"192.168.11.3:5000", "127.0.0.2:15000"}}).target_host("192.168.11.3"), "127.0.0.2");
}

TEST(AddressMapNames, TargetHostThroughAWildcard) {
  EXPECT_EQ(map_of({{"*.azure-devices.net", "127.0.0.3:18883"}}).target_host("hub.azure-devices.net"), "127.0.0.3");
}

TEST(AddressMapNames, TargetHostOfAnUnnamedHostIsNothing) {
  EXPECT_EQ(map_of({{"io.adafruit.com", "127.0.0.1"}}).target_host("example.org"), std::nullopt);
}

TEST(AddressMapNames, VirtualIpv4IsTheLiteralRuleWithTheSameTarget) {
  auto map = map_of({{"broker.lab", "127.0.0.1:18830"}, {"10.0.0.5", "127.0.0.1:18830"}, {"10.0.0.6", "127.0.0.1:1"}});
  EXPECT_EQ(map.virtual_ipv4("broker.lab"), "10.0.0.5");
}

TEST(AddressMapNames, VirtualIpv4NeedsTheSamePort) {
  auto map = map_of({{"broker.lab", "127.0.0.1:18830"}, {"10.0.0.5", "127.0.0.1"}});
  EXPECT_EQ(map.virtual_ipv4("broker.lab"), std::nullopt);
}

TEST(AddressMapNames, VirtualIpv4IgnoresNameRules) {
  auto map = map_of({{"broker.lab", "127.0.0.1"}, {"other.lab", "127.0.0.1"}});
  EXPECT_EQ(map.virtual_ipv4("broker.lab"), std::nullopt);
}

}  // namespace
}  // namespace simdev::net
