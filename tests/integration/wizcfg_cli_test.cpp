// `simdev wizcfg` against a running simdev with two WIZ550S2E modules sharing one ephemeral configuration-tool port:
// search, get, set (the module reboots with the new values), reset, factory reset, firmware upload from a loopback
// TFTP server, and the client's messages for a wrong password and bad fields.
#include <fstream>

#include "tests/integration/simdev_fixture.hpp"
#include "tests/support/tftp_server.hpp"

namespace simdev::test {
namespace {

constexpr const char* kMacA = "00:08:dc:1d:bb:8a";
constexpr const char* kMacB = "00:08:dc:00:00:02";

class WizcfgCli : public SimdevFixture {
 protected:
  void SetUp() override {
    std::ofstream(dir_ / "lab.json") << R"({"timing":"fast","devices":[
      {"name":"eth-a","kind":"wiz550s2e","serial":"tcp:127.0.0.1:0","flash":"eth-a.flash.json",
       "network":{"listen_map":{"5000":0},"address_map":{"192.168.11.50:69":"127.0.0.1:)" +
                                                std::to_string(tftp.port()) + R"("}},
       "settings":{"config_tool":{"bind":"127.0.0.1:0","tftp_timeout_ms":100,"tftp_retries":2}}},
      {"name":"eth-b","kind":"wiz550s2e","serial":"tcp:127.0.0.1:0","flash":"eth-b.flash.json",
       "network":{"listen_map":{"5000":0}},
       "settings":{"mac":"00:08:dc:00:00:02","config_tool":{"bind":"127.0.0.1:0"}}}]})";
    start({"--config", (dir_ / "lab.json").string()});
    for (const auto& l : process_->device(0)["listeners"])
      if (l.value("shared", false)) port_ = l["port"].get<std::uint16_t>();
    ASSERT_NE(port_, 0) << process_->device(0).dump();
  }

  ProcessResult wizcfg(std::vector<std::string> args, int timeout_ms = 300) {
    args.insert(args.begin(), {"wizcfg", "--target", "127.0.0.1:" + std::to_string(port_), "--timeout",
                               std::to_string(timeout_ms)});
    return run_simdev(args, std::chrono::seconds(10), dir_.path());
  }
  nlohmann::json device_state(const std::string& name) {
    return control({{"op", "state"}, {"device", name}})["devices"][name];
  }
  bool back_in_data_mode(const std::string& name) {
    return wait_until([&] { return device_state(name).value("mode", "") == "data"; }, std::chrono::seconds(5));
  }

  TftpServer tftp;
  std::uint16_t port_ = 0;
};

TEST_F(WizcfgCli, BothModulesShareTheReportedPort) {
  std::uint16_t b_port = 0;
  for (const auto& l : process_->device(1)["listeners"])
    if (l.value("shared", false)) b_port = l["port"].get<std::uint16_t>();
  EXPECT_EQ(b_port, port_);
  EXPECT_EQ(device_state("eth-a")["config_tool"]["port"], port_);
}

TEST_F(WizcfgCli, SearchListsBothModules) {
  const auto r = wizcfg({"search"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "MAC                PRODUCT    FIRMWARE\n"
            "00:08:dc:00:00:02  WIZ550S2E  1.3.1\n"
            "00:08:dc:1d:bb:8a  WIZ550S2E  1.3.1\n"
            "2 module(s) found\n");
}

TEST_F(WizcfgCli, SearchAsJson) {
  const auto r = wizcfg({"search", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            R"([{"firmware":"1.3.1","mac":"00:08:dc:00:00:02","product":"WIZ550S2E"},)"
            R"({"firmware":"1.3.1","mac":"00:08:dc:1d:bb:8a","product":"WIZ550S2E"}])"
            "\n");
}

TEST_F(WizcfgCli, GetShowsTheModuleSettings) {
  const auto r = wizcfg({"get", kMacB, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["mac"], kMacB);
  EXPECT_EQ(j["firmware"], "1.3.1");
  EXPECT_EQ(j["status"], "Disconnected");
  EXPECT_EQ(j["settings"]["local_ip"], "192.168.11.100");
  EXPECT_EQ(j["settings"]["working_mode"], "server");
}

TEST_F(WizcfgCli, GetOfAnUnknownMacTimesOut) {
  const auto r = wizcfg({"get", "00:08:dc:99:99:99"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "simdev wizcfg: no get-info reply from 00:08:dc:99:99:99 within 300 ms (no such module at the target)\n");
}

TEST_F(WizcfgCli, SetChangesNamedFieldsAndTheModuleReboots) {
  const auto r = wizcfg({"set", kMacA, "--password", "WIZnet", "local_ip=192.168.11.7", "working_mode=udp",
                         "packing_time=100", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["settings"]["local_ip"], "192.168.11.7");
  ASSERT_TRUE(wait_until([&] { return device_state("eth-a")["settings"]["local_ip"] == "192.168.11.7"; },
                         std::chrono::seconds(5)));
  ASSERT_TRUE(back_in_data_mode("eth-a"));
  const auto settings = device_state("eth-a")["settings"];
  EXPECT_EQ(settings["working_mode"], "udp");
  EXPECT_EQ(settings["packing_time"], 100);
  std::ifstream in(dir_ / "eth-a.flash.json");
  EXPECT_EQ(nlohmann::json::parse(in)["data"]["local_ip"], "192.168.11.7");
}

TEST_F(WizcfgCli, WrongPasswordTimesOutWithAClearMessage) {
  const auto r = wizcfg({"set", kMacA, "--password", "nope", "local_ip=192.168.11.7"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "simdev wizcfg: no set-info reply from 00:08:dc:1d:bb:8a within 300 ms (wrong password, or no such module "
            "at the target)\n");
  EXPECT_EQ(device_state("eth-a")["settings"]["local_ip"], "192.168.11.100");
}

TEST_F(WizcfgCli, UnknownFieldIsAUsageError) {
  const auto r = wizcfg({"set", kMacA, "--password", "WIZnet", "colour=blue"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "simdev wizcfg: colour: unknown field\n");
}

TEST_F(WizcfgCli, BadFieldValueNamesTheField) {
  const auto r = wizcfg({"set", kMacA, "--password", "WIZnet", "local_ip=300.1.1.1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "simdev wizcfg: local_ip: not an IPv4 address\n");
}

TEST_F(WizcfgCli, MissingPasswordIsAUsageError) {
  const auto r = wizcfg({"reset", kMacA});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "simdev wizcfg: reset: --password is required (the module's setting password)\n");
}

TEST_F(WizcfgCli, ResetRebootsTheModule) {
  const auto r = wizcfg({"reset", kMacA, "--password", "WIZnet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "reset 00:08:dc:1d:bb:8a: done, module resets\n");
  EXPECT_TRUE(back_in_data_mode("eth-a"));
}

TEST_F(WizcfgCli, FactoryResetKeepsTheMac) {
  ASSERT_EQ(wizcfg({"set", kMacB, "--password", "WIZnet", "module_name=LAB-B"}).exit_code, 0);
  ASSERT_TRUE(wait_until([&] { return device_state("eth-b")["settings"]["module_name"] == "LAB-B"; },
                         std::chrono::seconds(5)));
  ASSERT_TRUE(back_in_data_mode("eth-b"));
  const auto r = wizcfg({"factory-reset", kMacB, "--password", "WIZnet", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, R"({"mac":"00:08:dc:00:00:02","ok":true})"
                   "\n");
  ASSERT_TRUE(wait_until([&] { return device_state("eth-b")["settings"]["module_name"] == "WIZ550S2E"; },
                         std::chrono::seconds(5)));
  EXPECT_EQ(device_state("eth-b")["settings"]["mac"], kMacB);
}

TEST_F(WizcfgCli, UploadFetchesTheFileByTftp) {
  tftp.add_file("s2e_app.bin", Bytes(3000, 0xA5));
  const auto r = wizcfg({"upload", kMacA, "--password", "WIZnet", "--tftp", "192.168.11.50", "s2e_app.bin"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "upload 00:08:dc:1d:bb:8a: module is fetching s2e_app.bin from 192.168.11.50\n"
            "upload 00:08:dc:1d:bb:8a: done, application started\n");
  EXPECT_EQ(tftp.requests(), std::vector<std::string>{"s2e_app.bin"});
  EXPECT_EQ(device_state("eth-a")["config_tool"]["firmware"]["bytes"], 3000);
}

TEST_F(WizcfgCli, FailedUploadSaysTheOldFirmwareKeepsRunning) {
  const auto r = wizcfg({"upload", kMacA, "--password", "WIZnet", "--tftp", "192.168.11.50", "absent.bin"}, 100);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "simdev wizcfg: 00:08:dc:1d:bb:8a did not report a finished download within 1500 ms (download failed; the "
            "old firmware keeps running)\n");
  EXPECT_TRUE(device_state("eth-a")["config_tool"]["firmware"].is_null());
  EXPECT_TRUE(back_in_data_mode("eth-a"));
}

TEST_F(WizcfgCli, GetPrintsATableOfEveryField) {
  const auto r = wizcfg({"get", kMacB});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "module 00:08:dc:00:00:02 (firmware 1.3.1, Disconnected)\n"
            "  baud_rate                115200\n"
            "  data_bits                8\n"
            "  dhcp_use                 false\n"
            "  dns_domain_name          \n"
            "  dns_server_ip            8.8.8.8\n"
            "  dns_use                  false\n"
            "  flow_control             0\n"
            "  fw_ver                   010301\n"
            "  gateway                  192.168.11.1\n"
            "  inactivity               0\n"
            "  local_ip                 192.168.11.100\n"
            "  local_port               5000\n"
            "  mac                      00:08:dc:00:00:02\n"
            "  module_name              WIZ550S2E\n"
            "  module_type              000000\n"
            "  mqtt_publish_topic       \n"
            "  mqtt_pw                  \n"
            "  mqtt_subscribe_topic     \n"
            "  mqtt_user                \n"
            "  packet_size              232\n"
            "  packing_data_appendix    0\n"
            "  packing_delimiter        2d2d2d2d\n"
            "  packing_delimiter_length 0\n"
            "  packing_size             0\n"
            "  packing_time             0\n"
            "  parity                   0\n"
            "  pw_connect               WIZnet\n"
            "  pw_setting               WIZnet\n"
            "  reconnection             1000\n"
            "  remote_ip                192.168.11.101\n"
            "  remote_port              5000\n"
            "  serial_command           true\n"
            "  serial_trigger           2b2b2b\n"
            "  stop_bits                1\n"
            "  subnet                   255.255.255.0\n"
            "  working_mode             server\n");
}

TEST_F(WizcfgCli, SetJsonParsesWithTheStoredSettings) {
  const auto r = wizcfg({"set", kMacB, "--password", "WIZnet", "module_name=LAB-B", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["mac"], kMacB);
  EXPECT_EQ(j["firmware"], "1.3.1");
  EXPECT_EQ(j["settings"]["module_name"], "LAB-B");
  EXPECT_EQ(j["settings"]["packet_size"], 232);
}

TEST_F(WizcfgCli, BadMacIsAUsageError) {
  const auto r = wizcfg({"get", "00:08:dc:zz:00:02"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "simdev wizcfg: MAC: \"00:08:dc:zz:00:02\" is not xx:xx:xx:xx:xx:xx\n");
  EXPECT_EQ(r.out, "");
}

TEST_F(WizcfgCli, ShortMacIsAUsageError) {
  const auto r = wizcfg({"reset", "00:08:dc:00:02", "--password", "WIZnet"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "simdev wizcfg: MAC: \"00:08:dc:00:02\" is not xx:xx:xx:xx:xx:xx\n");
}

TEST_F(WizcfgCli, AssignmentWithoutValueOrKeyIsAUsageError) {
  EXPECT_EQ(wizcfg({"set", kMacA, "--password", "WIZnet", "local_ip"}).err, "simdev wizcfg: local_ip: expected FIELD=VALUE\n");
  const auto r = wizcfg({"set", kMacA, "--password", "WIZnet", "=5"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "simdev wizcfg: =5: expected FIELD=VALUE\n");
}

TEST_F(WizcfgCli, ReadOnlyFieldsAreUsageErrors) {
  for (const char* field : {"mac=00:08:dc:00:00:01", "fw_ver=010400", "state=1", "packet_size=0", "module_type=010200"}) {
    const auto r = wizcfg({"set", kMacA, "--password", "WIZnet", field});
    EXPECT_EQ(r.exit_code, 2) << field;
    const std::string key(field, std::string_view(field).find('='));
    EXPECT_EQ(r.err, "simdev wizcfg: " + key + ": cannot be set with the configuration tool\n");
  }
}

TEST_F(WizcfgCli, BadValuesNameTheirField) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"packing_time=abc", "packing_time: expected an integer"},
      {"local_port=70000", "local_port: out of range"},
      {"working_mode=fast", "working_mode: expected client|server|mixed|udp|mqtt"},
      {"dhcp_use=maybe", "dhcp_use: expected true/false"},
      {"packing_delimiter_length=5", "packing_delimiter_length: 0..4"},
      {"module_name=ABCDEFGHIJKLMNOPQRSTUVWXYZ", "module_name: longer than 25"},
  };
  for (const auto& [arg, message] : cases) {
    const auto r = wizcfg({"set", kMacA, "--password", "WIZnet", arg});
    EXPECT_EQ(r.exit_code, 2) << arg;
    EXPECT_EQ(r.err, "simdev wizcfg: " + message + "\n");
  }
  EXPECT_EQ(device_state("eth-a")["settings"]["module_name"], "WIZ550S2E");
}

TEST_F(WizcfgCli, BadTargetIsAUsageError) {
  const auto r = run_simdev({"wizcfg", "--target", "127.0.0.1:x", "search"}, std::chrono::seconds(10), dir_.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "simdev wizcfg: --target: bad port \"x\"\n");
}

TEST_F(WizcfgCli, WrongPasswordOnResetTimesOutWithAClearMessage) {
  const auto r = wizcfg({"reset", kMacA, "--password", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "simdev wizcfg: no reset reply from 00:08:dc:1d:bb:8a within 300 ms (wrong password, or no such module at "
            "the target)\n");
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace simdev::test
