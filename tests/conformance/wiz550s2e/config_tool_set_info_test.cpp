// Set info (C0, spec §4.1/§4.3/§5.3): the structure is stored as the tool sent it, only the firmware version is
// restored; after the reset it is what Get Info, AT and the flash file show. A structure whose packet_size is 0
// (or 0xFFFF, an erased EEPROM) is stored too, and the next boot replaces it by factory defaults, keeping the MAC.
#include "tests/conformance/wiz550s2e/config_tool_fixture.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

class ConfigToolSetInfo : public ConfigToolDevice {
 protected:
  Settings factory() { return load_device_config({{"mac", to_string(kMacA)}}).factory; }

  // Sends C0 and returns the reply; the module then reboots into data mode.
  Bytes set(Module& m, const Bytes& image) {
    start_receiving();
    send(tool_port(m), request(op::set_info, set_info_body(kMacA, "WIZnet", image)));
    auto got = collect(1);
    EXPECT_TRUE(run_until([&] { return m.mode() == "data" && m.device->state()["settings"].is_object(); }));
    run_for(5ms);
    return got.empty() ? Bytes{} : got[0];
  }
  static Bytes set_reply(Bytes image) {
    image[30] = 1, image[31] = 3, image[32] = 1;  // the running version
    Bytes body(kMacA.begin(), kMacA.end());
    body.insert(body.end(), image.begin(), image.end());
    return encode({0x80, 1, op::set_info, kReply, 0}, body);
  }
};

TEST_F(ConfigToolSetInfo, EveryFieldFilledToItsEndIsStoredAsSent) {
  Module& a = add_module(kMacA);
  Settings wanted = factory();
  wanted.fw_ver = {0, 0, 0};
  wanted.module_name = "ABCDEFGHIJKLMNOPQRSTUVWXY";  // 25: the whole field, no terminator
  wanted.working_mode = WorkingMode::mixed;  // listens; dials out only for serial data
  wanted.remote_ip = {10, 1, 2, 3};
  wanted.local_port = 0;  // only the tool can set port 0
  wanted.remote_port = 65535;
  wanted.inactivity = 300;
  wanted.reconnection = 2500;
  wanted.packing_time = 100;
  wanted.packing_size = 255;
  wanted.packing_delimiter = {0x0d, 0x0a, 0x00, 0x00};
  wanted.packing_delimiter_length = 2;
  wanted.packing_data_appendix = 1;
  wanted.pw_connect = "0123456789";
  wanted.dns_server_ip = {1, 1, 1, 1};
  wanted.dns_domain_name = std::string(50, 'd');
  wanted.mqtt_user = "user567890";
  wanted.mqtt_pw = "pass567890";
  wanted.mqtt_publish_topic = std::string(25, 'p');
  wanted.mqtt_subscribe_topic = std::string(25, 's');
  const Bytes image = to_image(wanted);
  EXPECT_EQ(set(a, image), set_reply(image));

  Settings stored = wanted;
  stored.fw_ver = {1, 3, 1};
  EXPECT_EQ(hex_bytes(get_info(a, kMacA)), hex_bytes(get_info_reply(stored)));
  const auto flash = flash_data(a);
  EXPECT_EQ(flash["module_name"], "ABCDEFGHIJKLMNOPQRSTUVWXY");
  EXPECT_EQ(flash["dns_domain_name"], std::string(50, 'd'));
  EXPECT_EQ(flash["mqtt_subscribe_topic"], std::string(25, 's'));
  EXPECT_EQ(flash["local_port"], 0);
  EXPECT_EQ(flash["packet_size"], 232);
  enter_at_mode(a);
  EXPECT_EQ(at(a, "AT+MMODE?\n"), "[S,,M,0,10.1.2.3,65535]\r\n");
  EXPECT_EQ(at(a, "AT+NSET?\n"), "[S,,S,192.168.11.100,255.255.255.0,192.168.11.1,1.1.1.1]\r\n");
}

TEST_F(ConfigToolSetInfo, StoredStructureSurvivesAPowerCycle) {
  Module& a = add_module(kMacA);
  Settings wanted = factory();
  wanted.module_name = "ABCDEFGHIJKLMNOPQRSTUVWXY";
  wanted.local_ip = {192, 168, 11, 9};
  const Bytes image = to_image(wanted);
  set(a, image);
  a.device->shutdown();
  Module& again = add_module(kMacA, {}, nlohmann::json::object(), a.flash_path);
  start_receiving();
  EXPECT_EQ(get_info(again, kMacA), get_info_reply(wanted));
}

TEST_F(ConfigToolSetInfo, OtherPacketSizeAndModuleTypeAreKeptAsSent) {
  Module& a = add_module(kMacA);
  Settings wanted = factory();
  wanted.packet_size = 200;
  wanted.module_type = {0x01, 0x02, 0x00};
  const Bytes image = to_image(wanted);
  EXPECT_EQ(set(a, image), set_reply(image));
  EXPECT_EQ(get_info(a, kMacA), get_info_reply(wanted));
  EXPECT_EQ(flash_data(a)["packet_size"], 200);
  EXPECT_EQ(flash_data(a)["module_type"], "010200");
}

class ConfigToolInvalidPacketSize : public ConfigToolSetInfo, public ::testing::WithParamInterface<std::uint16_t> {};

TEST_P(ConfigToolInvalidPacketSize, StructureIsRepliedAsSentThenTheNextBootLoadsFactoryDefaults) {
  Module& a = add_module(kMacA);
  Settings wanted = factory();
  wanted.packet_size = GetParam();
  wanted.module_name = "CHANGED";
  wanted.local_ip = {192, 168, 11, 7};
  wanted.working_mode = WorkingMode::udp;
  const Bytes image = to_image(wanted);
  EXPECT_EQ(set(a, image), set_reply(image));  // the reply shows the structure as stored

  EXPECT_EQ(get_info(a, kMacA), get_info_reply(factory()));
  const auto flash = flash_data(a);
  EXPECT_EQ(flash["packet_size"], 232);
  EXPECT_EQ(flash["module_name"], "WIZ550S2E");
  EXPECT_EQ(flash["local_ip"], "192.168.11.100");
  EXPECT_EQ(flash["mac"], "00:08:dc:1d:bb:8a");
  enter_at_mode(a);
  EXPECT_EQ(at(a, "AT+NSET?\n"), "[S,,S,192.168.11.100,255.255.255.0,192.168.11.1,8.8.8.8]\r\n");
  EXPECT_EQ(at(a, "AT+MMODE?\n"), "[S,,S,5000,192.168.11.101,5000]\r\n");
}

TEST_P(ConfigToolInvalidPacketSize, FactoryDefaultsKeepTheMacOfTheStoredStructure) {
  const Mac changed{0x00, 0x08, 0xdc, 0x12, 0x34, 0x56};
  Module& a = add_module(kMacA);
  Settings wanted = factory();
  wanted.packet_size = GetParam();
  wanted.mac = changed;  // the firmware accepts a MAC in the structure (§4.4)
  start_receiving();
  send(tool_port(a), request(op::set_info, set_info_body(kMacA, "WIZnet", to_image(wanted))));
  ASSERT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(run_until([&] { return a.mode() == "data" && a.device->state()["settings"]["mac"] == to_string(changed); }));
  Settings expected = factory();
  expected.mac = changed;
  EXPECT_EQ(get_info(a, changed), get_info_reply(expected));
}

INSTANTIATE_TEST_SUITE_P(Sizes, ConfigToolInvalidPacketSize, ::testing::Values(std::uint16_t{0}, std::uint16_t{0xFFFF}),
                         [](const auto& info) { return info.param == 0 ? "Zero" : "Erased"; });

}  // namespace
}  // namespace simdev::wiz550s2e::config_tool
