// Usage errors exit 2 naming the flag or field; a taken endpoint exits 3.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gmock/gmock.h>

#include "tests/integration/simdev_fixture.hpp"

namespace simdev::test {
namespace {

class CliErrors : public SimdevFixture {
 protected:
  ProcessResult run(std::vector<std::string> args) { return run_simdev(args, std::chrono::seconds(10), dir_.path()); }
};

TEST_F(CliErrors, VersionPrintsAndExitsZero) {
  const auto r = run({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, ::testing::MatchesRegex("simdev [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST_F(CliErrors, HelpShowsWorkedExamples) {
  const auto r = run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("--serial"), std::string::npos);
}

TEST_F(CliErrors, UnknownFlagExitsTwoNamingIt) {
  const auto r = run({"--bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "The following argument was not expected: --bogus\nRun with --help for more information.\n");
}

TEST_F(CliErrors, BadTimingExitsTwoNamingFlag) {
  const auto r = run({"--timing", "slow"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "simdev: --timing: \"slow\" is not wire or fast\n");
}

TEST_F(CliErrors, BadDeviceExitsTwoNamingFlag) {
  const auto r = run({"--device", "esp32"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "simdev: --device: unknown device \"esp32\" (expected wizfi360, wiz550s2e)\n");
}

TEST_F(CliErrors, BadSerialExitsTwoNamingFlag) {
  const auto r = run({"--serial", "tpc:127.0.0.1:1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "simdev: --serial: unknown transport \"tpc:127.0.0.1:1\" (expected pty, pty:LINK, tcp:HOST:PORT, "
            "unix:PATH or stdio)\n");
}

TEST_F(CliErrors, MissingFlagValueExitsTwo) {
  const auto r = run({"--serial"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--serial"), std::string::npos) << r.err;
}

TEST_F(CliErrors, BadConfigFieldExitsTwoNamingIt) {
  write_file(dir_ / "bad.json", R"({"devices":[{"name":"a"},{"name":"b","serial":"tpc:1"}]})");
  const auto r = run({"--config", (dir_ / "bad.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "simdev: config: devices[1].serial: unknown transport \"tpc:1\" (expected pty, pty:LINK, "
            "tcp:HOST:PORT, unix:PATH or stdio)\n");
}

TEST_F(CliErrors, UnreadableConfigExitsTwo) {
  const auto r = run({"--config", (dir_ / "missing.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "simdev: --config: cannot read " + (dir_ / "missing.json").string() + "\n");
}

TEST_F(CliErrors, SecondInstanceOnSameTcpPortExitsThree) {
  auto& first = start_wizfi360({"--serial", "tcp:127.0.0.1:0"});
  const std::string spec = "tcp:127.0.0.1:" + std::to_string(first.tcp_port());
  const auto r = run({"--timing", "fast", "--name", "second", "--serial", spec});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("in use"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CliErrors, SecondInstanceOnSameControlSocketExitsThree) {
  start_wizfi360({"--serial", "tcp:127.0.0.1:0"});
  const auto r = run({"--timing", "fast", "--name", "second", "--serial", "tcp:127.0.0.1:0", "--control", control_spec()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(control({{"op", "ping"}}), (nlohmann::json{{"ok", true}}));  // the first one is untouched
}

TEST_F(CliErrors, DeviceListenerOnATakenHostPortExitsThree) {
  // The WIZ550S2E listens on its data port (5000, TCP server mode) at power-up; the test holds the host port.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor holder(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = std::to_string(holder.local_endpoint().port());
  const auto r = run({"--device", "wiz550s2e", "--timing", "fast", "--serial", "tcp:127.0.0.1:0", "--flash", "",
                      "--set", "network.listen_map={\"5000\":" + port + "}"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("tcp 127.0.0.1:" + port + " (device port 5000) is taken"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace simdev::test
