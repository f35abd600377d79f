#include "devices/wiz550s2e/settings.hpp"

#include <algorithm>
#include <stdexcept>

#include "libsim/util/bytes.hpp"

namespace simdev::wiz550s2e {
namespace {

constexpr std::array<std::pair<WorkingMode, const char*>, 5> kModeNames{{
    {WorkingMode::client, "client"},
    {WorkingMode::server, "server"},
    {WorkingMode::mixed, "mixed"},
    {WorkingMode::udp, "udp"},
    {WorkingMode::mqtt, "mqtt"},
}};

template <std::size_t N>
std::array<std::uint8_t, N> hex_array(const std::string& key, const std::string& text) {
  const auto bytes = parse_hex_bytes(text);
  if (!bytes || bytes->size() != N)
    throw std::invalid_argument(key + ": expected " + std::to_string(2 * N) + " hex digits");
  std::array<std::uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

class Reader {
 public:
  Reader(const nlohmann::json& j) : j_(j) {}

  template <typename T>
  void number(const char* key, T& out) {
    if (!j_.contains(key)) return;
    const auto& v = j_.at(key);
    if (!v.is_number_integer()) throw std::invalid_argument(std::string(key) + ": expected an integer");
    auto n = v.get<long long>();
    if (n < 0 || n > static_cast<long long>(std::numeric_limits<T>::max()))
      throw std::invalid_argument(std::string(key) + ": out of range");
    out = static_cast<T>(n);
  }
  void flag(const char* key, bool& out) {
    if (!j_.contains(key)) return;
    if (!j_.at(key).is_boolean()) throw std::invalid_argument(std::string(key) + ": expected true/false");
    out = j_.at(key).get<bool>();
  }
  void text(const char* key, std::string& out, std::size_t max) {
    if (!j_.contains(key)) return;
    if (!j_.at(key).is_string()) throw std::invalid_argument(std::string(key) + ": expected a string");
    out = j_.at(key).get<std::string>();
    if (out.size() > max) throw std::invalid_argument(std::string(key) + ": longer than " + std::to_string(max));
  }
  void ip(const char* key, Ip4& out) {
    std::string t;
    text(key, t, 15);
    if (!j_.contains(key)) return;
    // The flash copy may legitimately hold 0.0.0.0 (e.g. an unset DHCP lease), which the AT validator rejects.
    if (t == "0.0.0.0") {
      out = {};
      return;
    }
    auto v = parse_ip(t);
    if (!v) throw std::invalid_argument(std::string(key) + ": not an IPv4 address");
    out = *v;
  }
  template <std::size_t N>
  void hex(const char* key, std::array<std::uint8_t, N>& out) {
    std::string t;
    text(key, t, 2 * N);
    if (j_.contains(key)) out = hex_array<N>(key, t);
  }

 private:
  const nlohmann::json& j_;
};

}  // namespace

char mode_letter(WorkingMode mode) {
  switch (mode) {
    case WorkingMode::client: return 'C';
    case WorkingMode::server: return 'S';
    case WorkingMode::mixed: return 'M';
    case WorkingMode::udp: return 'U';
    case WorkingMode::mqtt: return 'Q';
  }
  return 'S';
}

std::optional<WorkingMode> mode_from_letter(char letter) {
  switch (std::toupper(static_cast<unsigned char>(letter))) {
    case 'C': return WorkingMode::client;
    case 'S': return WorkingMode::server;
    case 'M': return WorkingMode::mixed;
    case 'U': return WorkingMode::udp;
    case 'Q': return WorkingMode::mqtt;
    default: return std::nullopt;
  }
}

nlohmann::json to_json(const Settings& s) {
  std::string mode = "server";
  for (auto& [m, name] : kModeNames)
    if (m == s.working_mode) mode = name;
  return {
      {"packet_size", s.packet_size},
      {"module_type", hex_bytes(s.module_type)},
      {"module_name", s.module_name},
      {"fw_ver", hex_bytes(s.fw_ver)},
      {"mac", to_string(s.mac)},
      {"local_ip", to_string(s.local_ip)},
      {"gateway", to_string(s.gateway)},
      {"subnet", to_string(s.subnet)},
      {"working_mode", mode},
      {"remote_ip", to_string(s.remote_ip)},
      {"local_port", s.local_port},
      {"remote_port", s.remote_port},
      {"inactivity", s.inactivity},
      {"reconnection", s.reconnection},
      {"packing_time", s.packing_time},
      {"packing_size", s.packing_size},
      {"packing_delimiter", hex_bytes(s.packing_delimiter)},
      {"packing_delimiter_length", s.packing_delimiter_length},
      {"packing_data_appendix", s.packing_data_appendix},
      {"baud_rate", s.baud_rate},
      {"data_bits", s.data_bits},
      {"parity", s.parity},
      {"stop_bits", s.stop_bits},
      {"flow_control", s.flow_control},
      {"pw_setting", s.pw_setting},
      {"pw_connect", s.pw_connect},
      {"dhcp_use", s.dhcp_use},
      {"dns_use", s.dns_use},
      {"dns_server_ip", to_string(s.dns_server_ip)},
      {"dns_domain_name", s.dns_domain_name},
      {"serial_command", s.serial_command},
      {"serial_trigger", hex_bytes(s.serial_trigger)},
      {"mqtt_user", s.mqtt_user},
      {"mqtt_pw", s.mqtt_pw},
      {"mqtt_publish_topic", s.mqtt_publish_topic},
      {"mqtt_subscribe_topic", s.mqtt_subscribe_topic},
  };
}

Settings settings_from_json(const nlohmann::json& j, Settings s) {
  if (!j.is_object()) throw std::invalid_argument("settings: expected an object");
  Reader r(j);
  r.number("packet_size", s.packet_size);
  r.hex("module_type", s.module_type);
  r.text("module_name", s.module_name, 25);
  r.hex("fw_ver", s.fw_ver);
  if (j.contains("mac")) {
    std::string t;
    r.text("mac", t, 17);
    auto mac = parse_mac(t);
    if (!mac) throw std::invalid_argument("mac: not a MAC address");
    s.mac = *mac;
  }
  r.ip("local_ip", s.local_ip);
  r.ip("gateway", s.gateway);
  r.ip("subnet", s.subnet);
  if (j.contains("working_mode")) {
    std::string name;
    r.text("working_mode", name, 8);
    bool found = false;
    for (auto& [m, n] : kModeNames)
      if (name == n) {
        s.working_mode = m;
        found = true;
      }
    if (!found) throw std::invalid_argument("working_mode: expected client|server|mixed|udp|mqtt");
  }
  r.ip("remote_ip", s.remote_ip);
  r.number("local_port", s.local_port);
  r.number("remote_port", s.remote_port);
  r.number("inactivity", s.inactivity);
  r.number("reconnection", s.reconnection);
  r.number("packing_time", s.packing_time);
  r.number("packing_size", s.packing_size);
  r.hex("packing_delimiter", s.packing_delimiter);
  r.number("packing_delimiter_length", s.packing_delimiter_length);
  if (s.packing_delimiter_length > 4) throw std::invalid_argument("packing_delimiter_length: 0..4");
  r.number("packing_data_appendix", s.packing_data_appendix);
  if (s.packing_data_appendix > 2) throw std::invalid_argument("packing_data_appendix: 0..2");
  r.number("baud_rate", s.baud_rate);
  r.number("data_bits", s.data_bits);
  r.number("parity", s.parity);
  r.number("stop_bits", s.stop_bits);
  r.number("flow_control", s.flow_control);
  r.text("pw_setting", s.pw_setting, 10);
  r.text("pw_connect", s.pw_connect, 10);
  r.flag("dhcp_use", s.dhcp_use);
  r.flag("dns_use", s.dns_use);
  r.ip("dns_server_ip", s.dns_server_ip);
  r.text("dns_domain_name", s.dns_domain_name, 50);
  r.flag("serial_command", s.serial_command);
  r.hex("serial_trigger", s.serial_trigger);
  r.text("mqtt_user", s.mqtt_user, 10);
  r.text("mqtt_pw", s.mqtt_pw, 10);
  r.text("mqtt_publish_topic", s.mqtt_publish_topic, 25);
  r.text("mqtt_subscribe_topic", s.mqtt_subscribe_topic, 25);
  return s;
}

bool needs_factory_defaults(const Settings& s) { return s.packet_size == 0 || s.packet_size == 0xFFFF; }

}  // namespace simdev::wiz550s2e
