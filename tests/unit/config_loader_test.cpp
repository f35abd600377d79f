#include <gtest/gtest.h>

#include "libsim/config/config_error.hpp"
#include "libsim/config/config_loader.hpp"
#include "libsim/util/embedded_config.hpp"
#include "tests/support/temp_dir.hpp"

namespace simdev::config {
namespace {

using nlohmann::json;

std::unique_ptr<Device> no_device(DeviceContext) { return nullptr; }

// Two kinds backed by the real embedded defaults, without depending on the device folders.
const std::vector<const DeviceKind*>& kinds() {
  static const DeviceKind wifi{"wizfi360", "wizfi360", "simdev.wizfi360.flash", 1, &no_device};
  static const DeviceKind eth{"wiz550s2e", "wiz550s2e", "simdev.wiz550s2e.flash", 1, &no_device};
  static const std::vector<const DeviceKind*> list{&wifi, &eth};
  return list;
}

RuntimeConfig build(const json& user, const Overrides& o = {}) { return build_config(user, o, kinds()); }

std::string error_of(const json& user, const Overrides& o = {}) {
  try {
    build(user, o);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ConfigLoader, NoFileGivesOneWizfi360OnDefaultPty) {
  const auto rc = build(nullptr);
  ASSERT_EQ(rc.devices.size(), 1u);
  EXPECT_EQ(rc.devices[0].kind, "wizfi360");
  EXPECT_EQ(rc.devices[0].name, "wizfi360");
  EXPECT_EQ(rc.devices[0].serial, "pty");
  EXPECT_EQ(rc.devices[0].flash, "wizfi360.flash.json");
  EXPECT_EQ(rc.devices[0].timing, TimingMode::wire);
  EXPECT_EQ(rc.control, "");
  EXPECT_EQ(rc.log_level, "info");
}

TEST(ConfigLoader, DeviceSettingsStartFromEmbeddedDefaults) {
  const auto rc = build(nullptr);
  EXPECT_EQ(rc.devices[0].settings, json::parse(embedded_config("wizfi360")));
}

TEST(ConfigLoader, UserSettingsMergeOverDefaults) {
  const auto rc = build({{"devices", {{{"settings", {{"boot_delay_ms", 5}, {"uart", {{"baud", 9600}}}}}}}}});
  EXPECT_EQ(rc.devices[0].settings["boot_delay_ms"], 5);
  EXPECT_EQ(rc.devices[0].settings["uart"]["baud"], 9600);
  EXPECT_EQ(rc.devices[0].settings["uart"]["data_bits"], 8);  // untouched default kept
  EXPECT_EQ(rc.devices[0].uart.baud, 9600u);
}

TEST(ConfigLoader, NetworkObjectLandsInSettings) {
  const auto rc = build({{"devices", {{{"kind", "wiz550s2e"}, {"network", {{"listen_map", {{"5000", 0}}}}}}}}});
  EXPECT_EQ(rc.devices[0].settings["network"]["listen_map"]["5000"], 0);
  EXPECT_TRUE(rc.devices[0].settings["network"].contains("dhcp_lease"));  // kind default kept beside it
}

TEST(ConfigLoader, SeveralDevicesKeepTheirOwnFields) {
  const auto rc = build({{"timing", "fast"},
                         {"control", "unix:/tmp/x.ctl"},
                         {"devices",
                          {{{"name", "a"}, {"serial", "tcp:127.0.0.1:0"}, {"flash", nullptr}},
                           {{"name", "b"}, {"kind", "wiz550s2e"}, {"flash", "/data/b.json"}, {"timing", "wire"}}}}});
  ASSERT_EQ(rc.devices.size(), 2u);
  EXPECT_EQ(rc.devices[0].serial, "tcp:127.0.0.1:0");
  EXPECT_TRUE(rc.devices[0].flash.empty());
  EXPECT_EQ(rc.devices[0].timing, TimingMode::fast);
  EXPECT_EQ(rc.devices[1].kind, "wiz550s2e");
  EXPECT_EQ(rc.devices[1].flash, "/data/b.json");
  EXPECT_EQ(rc.devices[1].timing, TimingMode::wire);
  EXPECT_EQ(rc.control, "unix:/tmp/x.ctl");
}

TEST(ConfigLoader, FlagsOverrideTheSingleDevice) {
  Overrides o;
  o.device = "wiz550s2e";
  o.name = "s2e";
  o.serial = "pty:/tmp/ttyS2E";
  o.flash = "/tmp/s2e.json";
  o.flash_reset = true;
  o.timing = "fast";
  const auto rc = build({{"devices", {{{"name", "x"}, {"serial", "stdio"}, {"timing", "wire"}}}}}, o);
  EXPECT_EQ(rc.devices[0].kind, "wiz550s2e");
  EXPECT_EQ(rc.devices[0].name, "s2e");
  EXPECT_EQ(rc.devices[0].serial, "pty:/tmp/ttyS2E");
  EXPECT_EQ(rc.devices[0].flash, "/tmp/s2e.json");
  EXPECT_TRUE(rc.devices[0].flash_reset);
  EXPECT_EQ(rc.devices[0].timing, TimingMode::fast);
}

TEST(ConfigLoader, NameChangesDefaultFlashFile) {
  Overrides o;
  o.name = "lab-a";
  EXPECT_EQ(build(nullptr, o).devices[0].flash, "lab-a.flash.json");
}

TEST(ConfigLoader, EmptyFlashFlagMeansMemoryOnly) {
  Overrides o;
  o.flash = "";
  EXPECT_TRUE(build(nullptr, o).devices[0].flash.empty());
}

TEST(ConfigLoader, SetFlagWritesDottedPathAsJson) {
  Overrides o;
  o.sets = {"boot_delay_ms=20", "uart.baud=9600", "quirks.x=true", "name_text=hello"};
  const auto rc = build(nullptr, o);
  EXPECT_EQ(rc.devices[0].settings["boot_delay_ms"], 20);
  EXPECT_EQ(rc.devices[0].uart.baud, 9600u);
  EXPECT_EQ(rc.devices[0].settings["quirks"]["x"], true);
  EXPECT_EQ(rc.devices[0].settings["name_text"], "hello");
}

TEST(ConfigLoader, TopLevelValuesAndFlags) {
  Overrides o;
  o.log_level = "debug";
  o.ready_file = "r.json";
  const auto rc = build({{"log_level", "warn"}, {"trace", "t.jsonl"}, {"pid_file", "p"}}, o);
  EXPECT_EQ(rc.log_level, "debug");
  EXPECT_EQ(rc.trace, "t.jsonl");
  EXPECT_EQ(rc.ready_file, "r.json");
  EXPECT_EQ(rc.pid_file, "p");
}

TEST(ConfigLoader, UnknownTransportNamesDeviceField) {
  EXPECT_EQ(error_of({{"devices", {json::object(), {{"name", "b"}, {"serial", "tpc:1:2"}}}}}),
            "config: devices[1].serial: unknown transport \"tpc:1:2\" (expected pty, pty:LINK, tcp:HOST:PORT, "
            "unix:PATH or stdio)");
}

TEST(ConfigLoader, BadTcpPortNamesDeviceField) {
  EXPECT_EQ(error_of({{"devices", {{{"serial", "tcp:127.0.0.1:99999"}}}}}),
            "config: devices[0].serial: \"tcp:127.0.0.1:99999\": port \"99999\" is not 0..65535");
}

TEST(ConfigLoader, UnknownKindNamesField) {
  EXPECT_EQ(error_of({{"devices", {{{"kind", "esp8266"}}}}}),
            "config: devices[0].kind: unknown device \"esp8266\" (expected wizfi360, wiz550s2e)");
}

TEST(ConfigLoader, UnknownTopLevelFieldIsRejected) {
  EXPECT_EQ(error_of({{"devise", json::array()}}), "config: devise: unknown field");
}

TEST(ConfigLoader, UnknownDeviceFieldIsRejected) {
  EXPECT_EQ(error_of({{"devices", {{{"seriall", "pty"}}}}}), "config: devices[0].seriall: unknown field");
}

TEST(ConfigLoader, DuplicateNamesAreRejected) {
  EXPECT_EQ(error_of({{"devices", {{{"name", "a"}}, {{"name", "a"}, {"kind", "wiz550s2e"}}}}}),
            "config: devices[1].name: \"a\" is already used by devices[0]");
}

TEST(ConfigLoader, NameWithSlashIsRejected) {
  EXPECT_EQ(error_of({{"devices", {{{"name", "a/b"}}}}}),
            "config: devices[0].name: \"a/b\" may only contain letters, digits, '-', '_' and '.'");
}

TEST(ConfigLoader, EmptyDeviceListIsRejected) {
  EXPECT_EQ(error_of({{"devices", json::array()}}), "config: devices: expected a non-empty array of device objects");
}

TEST(ConfigLoader, WrongTypeNamesField) {
  EXPECT_EQ(error_of({{"devices", {{{"flash_reset", "yes"}}}}}),
            "config: devices[0].flash_reset: expected true or false, got \"yes\"");
}

TEST(ConfigLoader, BadTimingNamesField) {
  EXPECT_EQ(error_of({{"timing", "slow"}}), "config: timing: \"slow\" is not wire or fast");
}

TEST(ConfigLoader, BadUartValueNamesSettingsPath) {
  EXPECT_EQ(error_of({{"devices", {{{"settings", {{"uart", {{"parity", "maybe"}}}}}}}}}),
            "config: devices[0].settings.uart.parity: \"maybe\" is not one of even, mark, none, odd, space");
}

TEST(ConfigLoader, BadListenMapNamesNetworkPath) {
  const std::string e = error_of({{"devices", {{{"network", {{"listen_map", {{"x", 1}}}}}}}}});
  EXPECT_EQ(e.rfind("config: devices[0].network.listen_map", 0), 0u) << e;
}

TEST(ConfigLoader, BadControlNamesField) {
  EXPECT_EQ(error_of({{"control", "udp:1"}}), "config: control: \"udp:1\": expected unix:PATH or tcp:HOST:PORT");
}

TEST(ConfigLoader, BadSerialFlagNamesFlag) {
  Overrides o;
  o.serial = "serial0";
  EXPECT_EQ(error_of(nullptr, o),
            "--serial: unknown transport \"serial0\" (expected pty, pty:LINK, tcp:HOST:PORT, unix:PATH or stdio)");
}

TEST(ConfigLoader, BadDeviceFlagNamesFlag) {
  Overrides o;
  o.device = "wizfi310";
  EXPECT_EQ(error_of(nullptr, o), "--device: unknown device \"wizfi310\" (expected wizfi360, wiz550s2e)");
}

TEST(ConfigLoader, BadTimingFlagNamesFlag) {
  Overrides o;
  o.timing = "slow";
  EXPECT_EQ(error_of(nullptr, o), "--timing: \"slow\" is not wire or fast");
}

TEST(ConfigLoader, BadLogLevelFlagNamesFlag) {
  Overrides o;
  o.log_level = "loud";
  EXPECT_EQ(error_of(nullptr, o), "--log-level: \"loud\" is not one of trace, debug, info, warn, error, critical, off");
}

TEST(ConfigLoader, BadSetFlagNamesFlag) {
  Overrides o;
  o.sets = {"nokey"};
  EXPECT_EQ(error_of(nullptr, o), "--set: \"nokey\" is not KEY=VALUE");
}

TEST(ConfigLoader, ResetAndReadonlyTogetherAreRejected) {
  Overrides o;
  o.flash_reset = true;
  o.flash_readonly = true;
  EXPECT_EQ(error_of(nullptr, o), "--flash-reset: cannot be combined with --flash-readonly");
}

TEST(ConfigLoader, DeviceFlagWithSeveralDevicesIsRejected) {
  Overrides o;
  o.serial = "pty";
  EXPECT_EQ(error_of({{"devices", {{{"name", "a"}}, {{"name", "b"}}}}}, o),
            "--serial: per-device flags need a configuration with exactly one device (this one has 2); set it in "
            "the config file instead");
}

TEST(ConfigLoader, TimingFlagAppliesToEveryDevice) {
  Overrides o;
  o.timing = "fast";
  const auto rc = build({{"devices", {{{"name", "a"}, {"timing", "wire"}}, {{"name", "b"}}}}}, o);
  EXPECT_EQ(rc.devices[0].timing, TimingMode::fast);
  EXPECT_EQ(rc.devices[1].timing, TimingMode::fast);
}

TEST(ConfigLoader, ReadConfigFileReportsParseErrorWithPath) {
  test::TempDir dir;
  test::write_file(dir / "bad.json", "{\"devices\": [");
  try {
    read_config_file(dir / "bad.json");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("config: " + (dir / "bad.json").string() + ": ", 0), 0u) << e.what();
  }
}

TEST(ConfigLoader, ReadConfigFileReportsMissingFile) {
  EXPECT_THROW(read_config_file("/nonexistent/simdev.json"), ConfigError);
}

TEST(ConfigLoader, ExampleLabConfigIsValid) {
  const auto rc = build(read_config_file(std::string(SIMDEV_SOURCE_DIR) + "/configs/examples/lab.json"));
  EXPECT_GE(rc.devices.size(), 2u);
}

}  // namespace
}  // namespace simdev::config
