// Spec §4.1/§4.2: the 232-byte image derived from the typed fields, factory defaults byte for byte.
#include <gtest/gtest.h>

#include "devices/wiz550s2e/device_config.hpp"
#include "devices/wiz550s2e/eeprom_image.hpp"
#include "libsim/util/bytes.hpp"
#include "tests/conformance/wiz550s2e/harness.hpp"

namespace simdev::wiz550s2e {
namespace {

// The §4.2 dump with MM = 00:08:dc:1d:bb:8a.
std::string factory_hex() {
  std::string hex =
      "e8000000005749 5a353530533245 0000"
      "00000000000000000000000000000103"
      "01 0008dc1dbb8a c0a80b64 c0a80b01 ff"
      "ffff0001 00 c0a80b65 8813 8813 0000 e8"
      "03 0000 00 2d2d2d2d 00 00 00c20100 08 00"
      "01 00 57495a6e6574000000005749 5a6e"
      "6574000000 00 00 00 08080808 00000000";
  std::string compact;
  for (char c : hex)
    if (c != ' ') compact += c;
  compact += std::string(2 * (158 - 112), '0');  // rest of dns_domain_name
  compact += "012b2b2b";
  compact += std::string(2 * (232 - 162), '0');  // MQTT strings
  return compact;
}

TEST(Wiz550s2eEepromImage, FactoryDefaultsMatchTheSpecDumpByteForByte) {
  DeviceConfig config = load_device_config(nlohmann::json::object());
  Bytes image = to_image(config.factory);
  ASSERT_EQ(image.size(), kImageSize);
  EXPECT_EQ(hex_bytes(image), factory_hex());
}

TEST(Wiz550s2eEepromImage, FirmwareVersionIsConfigurable) {
  DeviceConfig config = load_device_config({{"firmware_version", "1.3.0"}});
  Bytes image = to_image(config.factory);
  EXPECT_EQ(hex_bytes(ByteView(image).subspan(30, 3)), "010300");
}

TEST(Wiz550s2eEepromImage, MacComesFromTheConfigNotTheDefaults) {
  DeviceConfig config = load_device_config({{"mac", "00:08:DC:01:02:03"}});
  Bytes image = to_image(config.factory);
  EXPECT_EQ(hex_bytes(ByteView(image).subspan(33, 6)), "0008dc010203");
}

TEST(Wiz550s2eEepromImage, ImageRoundTripsThroughTheFields) {
  DeviceConfig config = load_device_config(nlohmann::json::object());
  Settings s = config.factory;
  s.working_mode = WorkingMode::mqtt;
  s.mqtt_publish_topic = "a/b";
  s.baud_rate = 9600;
  s.packing_delimiter_length = 2;
  auto back = from_image(to_image(s));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, s);
}

TEST(Wiz550s2eEepromImage, JsonRoundTripsThroughTheFields) {
  DeviceConfig config = load_device_config(nlohmann::json::object());
  Settings s = config.factory;
  s.remote_ip = {10, 0, 0, 9};
  s.pw_connect = "";
  s.serial_trigger = {0x41, 0x42, 0x43};
  EXPECT_EQ(settings_from_json(to_json(s), Settings{}), s);
}

TEST(Wiz550s2eEepromImage, BadConfigValueNamesTheKey) {
  try {
    load_device_config({{"factory", {{"local_ip", "300.1.1.1"}}}});
    FAIL() << "accepted a bad IP";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "local_ip: not an IPv4 address");
  }
}

TEST(Wiz550s2eEepromImage, ControlOpReturnsTheLiveImage) {
  test::Harness h;
  h.power_on();
  auto reply = h.device->control({{"op", "eeprom_image"}});
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->at("image").get<std::string>(), factory_hex());
}

}  // namespace
}  // namespace simdev::wiz550s2e
