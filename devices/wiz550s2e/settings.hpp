#pragma once
// The module's configuration record (spec §4.1) as typed fields. The same fields are stored in the flash
// file as JSON and rendered into the 232-byte EEPROM image (eeprom_image.hpp).
#include <array>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "devices/wiz550s2e/addresses.hpp"

namespace simdev::wiz550s2e {

enum class WorkingMode : std::uint8_t { client = 0, server = 1, mixed = 2, udp = 3, mqtt = 4 };

// AT+MMODE letters: C S M U Q.
char mode_letter(WorkingMode mode);
std::optional<WorkingMode> mode_from_letter(char letter);

struct Settings {
  // Header of the stored structure: 232 and 00 00 00 (WIZ550S2E) unless a configuration tool's Set wrote other
  // values. A packet_size of 0 (or an erased 0xFFFF) makes the next boot load factory defaults (spec §4.1).
  std::uint16_t packet_size = 232;
  std::array<std::uint8_t, 3> module_type{};
  std::string module_name;
  std::array<std::uint8_t, 3> fw_ver{};
  Mac mac{};
  Ip4 local_ip{}, gateway{}, subnet{};
  WorkingMode working_mode = WorkingMode::server;
  std::uint8_t state = 0;  // live connection status; 0 in the flash copy
  Ip4 remote_ip{};
  std::uint16_t local_port = 0, remote_port = 0;
  std::uint16_t inactivity = 0;    // seconds
  std::uint16_t reconnection = 0;  // ms
  std::uint16_t packing_time = 0;  // ms
  std::uint8_t packing_size = 0;
  std::array<std::uint8_t, 4> packing_delimiter{};
  std::uint8_t packing_delimiter_length = 0;
  std::uint8_t packing_data_appendix = 0;
  std::uint32_t baud_rate = 0;
  std::uint8_t data_bits = 8, parity = 0, stop_bits = 1, flow_control = 0;
  std::string pw_setting, pw_connect;
  bool dhcp_use = false, dns_use = false;
  Ip4 dns_server_ip{};
  std::string dns_domain_name;
  bool serial_command = true;
  std::array<std::uint8_t, 3> serial_trigger{};
  std::string mqtt_user, mqtt_pw, mqtt_publish_topic, mqtt_subscribe_topic;

  bool operator==(const Settings&) const = default;
};

// Field-by-field JSON (IPs and MACs as text, byte arrays as hex). Missing keys keep `base`'s values;
// a present key with a bad value throws std::invalid_argument naming the key. Text fields may fill their whole
// field of the 232-byte structure (no terminator), as a configuration tool's Set can; the AT commands keep their
// own, shorter limits.
nlohmann::json to_json(const Settings& s);
Settings settings_from_json(const nlohmann::json& j, Settings base);

// A stored structure the firmware replaces by factory defaults at boot (packet_size 0, or 0xFFFF).
bool needs_factory_defaults(const Settings& s);

}  // namespace simdev::wiz550s2e
