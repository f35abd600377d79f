// config_tool.bind from the command line and a config file: a valid bind is what READY lists as the shared
// listener; a bad one exits 2 with a message naming the field and the value.
#include <fstream>

#include <gmock/gmock.h>

#include "tests/integration/simdev_fixture.hpp"

namespace simdev::test {
namespace {

using ::testing::HasSubstr;

class ConfigToolBindCli : public SimdevFixture {
 protected:
  ProcessResult run_with_bind(const std::string& bind_json) {
    return run_simdev({"--device", "wiz550s2e", "--timing", "fast", "--serial", "tcp:127.0.0.1:0", "--flash-reset",
                       "--set", R"(network.listen_map={"5000":0})", "--set", "config_tool.bind=" + bind_json},
                      std::chrono::seconds(10), dir_.path());
  }
};

TEST_F(ConfigToolBindCli, ExplicitEphemeralBindIsReportedAsTheSharedListener) {
  start({"--device", "wiz550s2e", "--timing", "fast", "--serial", "tcp:127.0.0.1:0", "--flash-reset", "--set",
         R"(network.listen_map={"5000":0})", "--set", R"(config_tool.bind="127.0.0.1:0")"});
  nlohmann::json shared;
  for (const auto& l : process_->device(0)["listeners"])
    if (l.value("shared", false)) shared = l;
  ASSERT_FALSE(shared.is_null()) << process_->device(0).dump();
  EXPECT_EQ(shared["device_port"], 6550);
  EXPECT_EQ(shared["host"], "127.0.0.1");
  EXPECT_EQ(shared["proto"], "udp");
  EXPECT_NE(shared["port"], 0);
}

TEST_F(ConfigToolBindCli, HostNameExitsTwoNamingTheField) {
  const auto r = run_with_bind(R"("localhost:6550")");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("config: devices[0].settings: config_tool.bind: \"localhost:6550\": host must be an IP "
                               "address (expected IP:PORT)"));
}

TEST_F(ConfigToolBindCli, BadPortExitsTwoNamingTheField) {
  const auto r = run_with_bind(R"("127.0.0.1:70000")");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("config_tool.bind: \"127.0.0.1:70000\": bad port \"70000\""));
}

TEST_F(ConfigToolBindCli, NumberInsteadOfTextExitsTwoNamingTheField) {
  const auto r = run_with_bind("6550");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("config_tool.bind: expected \"IP:PORT\" (a string)"));
}

TEST_F(ConfigToolBindCli, BadBindInAConfigFileNamesTheDevice) {
  std::ofstream(dir_ / "lab.json") << R"({"timing":"fast","devices":[
    {"name":"eth-a","kind":"wiz550s2e","serial":"tcp:127.0.0.1:0","network":{"listen_map":{"5000":0}},
     "settings":{"config_tool":{"bind":"127.0.0.1:"}}}]})";
  const auto r = run_simdev({"--config", (dir_ / "lab.json").string(), "--flash-reset"}, std::chrono::seconds(10), dir_.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("devices[0].settings: config_tool.bind: \"127.0.0.1:\": bad port \"\""));
}

}  // namespace
}  // namespace simdev::test
