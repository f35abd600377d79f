// config_tool.bind: where the shared configuration-tool port binds. Valid forms and the error naming the field
// for bad ones.
#include <gtest/gtest.h>

#include "devices/wiz550s2e/config_tool_config.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

net::HostPort bind_of(const nlohmann::json& bind) { return load_tool_config({{"config_tool", {{"bind", bind}}}}).bind; }

std::string error_of(const nlohmann::json& bind) {
  try {
    bind_of(bind);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

TEST(ConfigToolBind, DefaultIsLoopback6550) {
  EXPECT_EQ(load_tool_config(nlohmann::json::object()).bind, (net::HostPort{"127.0.0.1", 6550}));
  EXPECT_EQ(load_tool_config({{"config_tool", nullptr}}).bind, (net::HostPort{"127.0.0.1", 6550}));
  EXPECT_EQ(load_tool_config({{"config_tool", {{"enabled", true}}}}).bind, (net::HostPort{"127.0.0.1", 6550}));
}

TEST(ConfigToolBind, AddressAndPort) {
  EXPECT_EQ(bind_of("127.0.0.1:6550"), (net::HostPort{"127.0.0.1", 6550}));
  EXPECT_EQ(bind_of("127.0.0.2:16550"), (net::HostPort{"127.0.0.2", 16550}));
  EXPECT_EQ(bind_of("0.0.0.0:6550"), (net::HostPort{"0.0.0.0", 6550}));
  EXPECT_EQ(bind_of("127.0.0.1:65535"), (net::HostPort{"127.0.0.1", 65535}));
}

TEST(ConfigToolBind, PortZeroIsOneEphemeralPort) { EXPECT_EQ(bind_of("127.0.0.1:0"), (net::HostPort{"127.0.0.1", 0})); }

TEST(ConfigToolBind, AddressAloneMeansPort6550) { EXPECT_EQ(bind_of("127.0.0.1"), (net::HostPort{"127.0.0.1", 6550})); }

TEST(ConfigToolBind, Ipv6InBrackets) {
  EXPECT_EQ(bind_of("[::1]:6550"), (net::HostPort{"::1", 6550}));
  EXPECT_EQ(bind_of("::1"), (net::HostPort{"::1", 6550}));
}

TEST(ConfigToolBind, HostNameIsRejected) {
  EXPECT_EQ(error_of("localhost:6550"),
            "config_tool.bind: \"localhost:6550\": host must be an IP address (expected IP:PORT)");
}

TEST(ConfigToolBind, BadPortsAreRejected) {
  EXPECT_EQ(error_of("127.0.0.1:65536"), "config_tool.bind: \"127.0.0.1:65536\": bad port \"65536\" (expected IP:PORT)");
  EXPECT_EQ(error_of("127.0.0.1:"), "config_tool.bind: \"127.0.0.1:\": bad port \"\" (expected IP:PORT)");
  EXPECT_EQ(error_of("127.0.0.1:65a"), "config_tool.bind: \"127.0.0.1:65a\": bad port \"65a\" (expected IP:PORT)");
  EXPECT_EQ(error_of("127.0.0.1:-1"), "config_tool.bind: \"127.0.0.1:-1\": bad port \"-1\" (expected IP:PORT)");
}

TEST(ConfigToolBind, MissingOrMalformedHostIsRejected) {
  EXPECT_EQ(error_of(":6550"), "config_tool.bind: \":6550\": empty host (expected IP:PORT)");
  EXPECT_EQ(error_of(""), "config_tool.bind: \"\": empty host (expected IP:PORT)");
  EXPECT_EQ(error_of("1.2.3:6550"), "config_tool.bind: \"1.2.3:6550\": host must be an IP address (expected IP:PORT)");
  EXPECT_EQ(error_of("[::1:6550"), "config_tool.bind: \"[::1:6550\": missing ']' (expected IP:PORT)");
}

TEST(ConfigToolBind, NonStringIsRejected) {
  EXPECT_EQ(error_of(6550), "config_tool.bind: expected \"IP:PORT\" (a string)");
  EXPECT_EQ(error_of(nlohmann::json::array()), "config_tool.bind: expected \"IP:PORT\" (a string)");
}

TEST(ConfigToolBind, OtherFieldsNameThemselves) {
  try {
    load_tool_config({{"config_tool", {{"tftp_retries", -1}}}});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "config_tool.tftp_retries: expected a non-negative integer");
  }
  try {
    load_tool_config({{"config_tool", "on"}});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "config_tool: expected an object");
  }
}

}  // namespace
}  // namespace simdev::wiz550s2e::config_tool
