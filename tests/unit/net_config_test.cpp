#include "libsim/net/net_config.hpp"

#include <gtest/gtest.h>

namespace simdev::net {
namespace {

std::string error_of(const nlohmann::json& network) {
  try {
    NetConfig::from_json(network);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

TEST(NetConfig, NullGivesDefaults) {
  const auto config = NetConfig::from_json(nullptr);
  EXPECT_EQ(config.listen_host, "127.0.0.1");
  EXPECT_TRUE(config.listen_map.empty());
  EXPECT_TRUE(config.address_map.empty());
}

TEST(NetConfig, ParsesEveryField) {
  const auto config = NetConfig::from_json(
      {{"listen_host", "::1"}, {"listen_map", {{"5000", 15000}, {"80", 0}}}, {"address_map", {{"a.example", "127.0.0.1"}}}});
  EXPECT_EQ(config.listen_host, "::1");
  EXPECT_EQ(config.host_port_for(5000), 15000);
  EXPECT_EQ(config.host_port_for(80), 0);
  EXPECT_EQ(config.address_map.size(), 1u);
}

TEST(NetConfig, UnmappedDevicePortBindsSameHostPort) {
  EXPECT_EQ(NetConfig::from_json({{"listen_map", {{"5000", 15000}}}}).host_port_for(6000), 6000);
}

TEST(NetConfig, BadListenMapKeyNamesField) {
  EXPECT_EQ(error_of({{"listen_map", {{"http", 8080}}}}), "network.listen_map: key \"http\" is not a port (1..65535)");
}

TEST(NetConfig, BadListenMapValueNamesField) {
  EXPECT_EQ(error_of({{"listen_map", {{"5000", 70000}}}}),
            "network.listen_map[\"5000\"]: value must be a port 0..65535 (0 = ephemeral)");
}

TEST(NetConfig, ListenMapMustBeObject) {
  EXPECT_EQ(error_of({{"listen_map", {1, 2}}}), "network.listen_map: must be an object {\"5000\": 15000}");
}

TEST(NetConfig, ListenHostMustBeIpAddress) {
  EXPECT_EQ(error_of({{"listen_host", "localhost"}}),
            "network.listen_host: must be an IP address string such as \"127.0.0.1\"");
}

TEST(NetConfig, AddressMapErrorIsPrefixedWithNetwork) {
  EXPECT_EQ(error_of({{"address_map", {{"x:y", "127.0.0.1"}}}}), "network.address_map[\"x:y\"]: bad port \"y\"");
}

TEST(NetConfig, NetworkMustBeObject) { EXPECT_EQ(error_of(42), "network: must be an object"); }

}  // namespace
}  // namespace simdev::net
