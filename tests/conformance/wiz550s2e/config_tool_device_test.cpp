// The configuration-tool responder inside running modules: real devices on one io_context sharing one loopback UDP
// port, a real UDP client. Set/reset/factory reset through reboots, flash and AT, and discovery of two modules.
#include "tests/conformance/wiz550s2e/config_tool_fixture.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

TEST_F(ConfigToolDevice, TwoModulesAnswerOneSearchOnTheSharedPort) {
  Module& a = add_module(kMacA);
  Module& b = add_module(kMacB);
  ASSERT_EQ(tool_port(a), tool_port(b));
  start_receiving();
  send(tool_port(a), request(op::discover_all, {}));
  auto got = collect(2);
  std::sort(got.begin(), got.end());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], encode({0x80, 1, op::discover_all, kReply, 0}, discovery_reply({1, 3, 1}, kMacB)));
  EXPECT_EQ(got[1], encode({0x80, 1, op::discover_all, kReply, 0}, discovery_reply({1, 3, 1}, kMacA)));
}

TEST_F(ConfigToolDevice, RepliesLeaveFromTheSharedPortToTheRequester) {
  Module& a = add_module(kMacA);
  start_receiving();
  send(tool_port(a), request(op::discover_all, {}, 0x85));
  ASSERT_EQ(collect(1).size(), 1u);
  EXPECT_EQ(reply_ports, std::vector<std::uint16_t>{tool_port(a)});
}

TEST_F(ConfigToolDevice, ListenersReportTheSharedPort) {
  Module& a = add_module(kMacA);
  const auto listeners = a.device->listeners();
  ASSERT_FALSE(listeners.empty());
  EXPECT_EQ(listeners.back(), (nlohmann::json{{"device_port", 6550}, {"host", "127.0.0.1"}, {"port", tool_port(a)},
                                              {"proto", "udp"}, {"shared", true}}));
}

TEST_F(ConfigToolDevice, AnswersInAtMode) {
  Module& a = add_module(kMacA);
  enter_at_mode(a);
  start_receiving();
  send(tool_port(a), request(op::get_info, get_info_body(kMacA)));
  const auto got = collect(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].size(), 245u);
  EXPECT_EQ(a.mode(), "at");
}

TEST_F(ConfigToolDevice, SetInfoRebootsWithTheNewValuesOverAtAndInFlash) {
  Module& a = add_module(kMacA);
  Settings wanted = load_device_config({{"mac", to_string(kMacA)}}).factory;
  wanted.local_ip = {192, 168, 11, 7};
  wanted.working_mode = WorkingMode::udp;
  wanted.fw_ver = {0, 0, 0};
  start_receiving();
  send(tool_port(a), request(op::set_info, set_info_body(kMacA, "WIZnet", to_image(wanted))));
  ASSERT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(run_until([&] { return a.mode() == "data"; }));
  enter_at_mode(a);
  EXPECT_EQ(at(a, "AT+NSET?\n"), "[S,,S,192.168.11.7,255.255.255.0,192.168.11.1,8.8.8.8]\r\n");
  EXPECT_EQ(at(a, "AT+MMODE?\n"), "[S,,U,5000,192.168.11.101,5000]\r\n");
  const auto stored = flash_data(a);
  EXPECT_EQ(stored["local_ip"], "192.168.11.7");
  EXPECT_EQ(stored["working_mode"], "udp");
}

TEST_F(ConfigToolDevice, WrongPasswordLeavesTheModuleAlone) {
  Module& a = add_module(kMacA);
  enter_at_mode(a);
  start_receiving();
  send(tool_port(a), request(op::set_info, set_info_body(kMacA, "wrong", to_image(load_device_config({}).factory))));
  send(tool_port(a), request(op::reset, auth_body(kMacA, "wrong")));
  EXPECT_TRUE(collect(1, 200ms).empty());
  EXPECT_EQ(a.mode(), "at");
}

TEST_F(ConfigToolDevice, ResetRebootsIntoDataMode) {
  Module& a = add_module(kMacA);
  enter_at_mode(a);
  start_receiving();
  send(tool_port(a), request(op::reset, auth_body(kMacA, "WIZnet")));
  ASSERT_EQ(collect(1).size(), 1u);
  EXPECT_TRUE(run_until([&] { return a.mode() == "data"; }));
}

TEST_F(ConfigToolDevice, FactoryResetKeepsTheMac) {
  Module& a = add_module(kMacA);
  enter_at_mode(a);
  EXPECT_EQ(at(a, "AT+MNAME=LAB7\n"), "[S]\r\n");
  EXPECT_EQ(at(a, "AT+NMAC=00:08:dc:12:34:56\n"), "[S]\r\n");
  const Mac changed{0x00, 0x08, 0xdc, 0x12, 0x34, 0x56};
  start_receiving();
  send(tool_port(a), request(op::factory_reset, auth_body(changed, "WIZnet")));
  ASSERT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(run_until([&] { return a.mode() == "data"; }));
  send(tool_port(a), request(op::get_info, get_info_body(changed)));
  const auto got = collect(1);
  ASSERT_EQ(got.size(), 1u);
  Settings expected = load_device_config({}).factory;
  expected.mac = changed;
  Bytes body(changed.begin(), changed.end());
  const Bytes image = to_image(expected);
  body.insert(body.end(), image.begin(), image.end());
  EXPECT_EQ(got[0], encode({0x80, 1, op::get_info, kReply, 0}, body));
  EXPECT_EQ(flash_data(a)["mac"], "00:08:dc:12:34:56");
  EXPECT_EQ(flash_data(a)["module_name"], "WIZ550S2E");
}

}  // namespace
}  // namespace simdev::wiz550s2e::config_tool
