#include "devices/wizfi360/config.hpp"

#include <stdexcept>

#include "devices/wizfi360/json_fields.hpp"
#include "libsim/util/embedded_config.hpp"

namespace simdev::wizfi360 {
namespace {

using nlohmann::json;

template <class T>
void read(const json& j, const char* field, T& out) {
  read_field(j, field, out, "wizfi360 config: bad value in field ");
}

void read_ms(const json& j, const char* field, Millis& out) {
  read_millis(j, field, out, "wizfi360 config: bad value in field timing.");
}

Timing load_timing(const json& j, const json& top) {
  Timing t;
  read_ms(top, "boot_delay_ms", t.boot);
  read_ms(j, "boot_ms", t.boot);
  read_ms(j, "scan_ms", t.scan);
  read_ms(j, "join_ms", t.join);
  read_ms(j, "dhcp_ms", t.dhcp);
  read_ms(j, "wrong_password_ms", t.wrong_password);
  read_ms(j, "join_timeout_ms", t.join_timeout);
  read_ms(j, "refused_ms", t.refused);
  read_ms(j, "rejoin_ms", t.rejoin);
  read_ms(j, "smart_try_ms", t.smart_try);
  read_ms(j, "wps_timeout_ms", t.wps_timeout);
  read(j, "sleep_scale", t.sleep_scale);
  return t;
}

UartConfig uart_from_link_config(const json& u) {
  UartConfig c;
  read(u, "baud", c.baud);
  read(u, "data_bits", c.data_bits);
  std::string parity = "none";
  read(u, "parity", parity);
  c.parity = parity == "odd" ? 1 : parity == "even" ? 2 : 0;
  std::string stop = "1";
  read(u, "stop_bits", stop);
  c.stop_bits = stop == "2" ? 2 : 1;
  std::string flow = "none";
  read(u, "flow", flow);
  c.flow = flow == "rts_cts" ? 3 : flow == "rts" ? 1 : flow == "cts" ? 2 : 0;
  return c;
}

json load_world(const json& top) {
  if (!top.contains("world")) return json::parse(embedded_config("wizfi360_world"));
  const json& w = top.at("world");
  if (w.is_object()) return w;
  if (w.is_string()) {
    try {
      return json::parse(embedded_config(w.get<std::string>()));
    } catch (const std::out_of_range&) {
      throw std::invalid_argument("wizfi360 config: world names no embedded config: " + w.get<std::string>());
    }
  }
  throw std::invalid_argument("wizfi360 config: world must be an object or the name of an embedded config");
}

}  // namespace

Config load_config(const json& j) {
  Config c;
  if (!j.is_object()) throw std::invalid_argument("wizfi360 config must be a JSON object");
  if (j.contains("versions")) {
    const json& v = j.at("versions");
    read(v, "at", c.versions.at);
    read(v, "sdk", c.versions.sdk);
    read(v, "compile_time", c.versions.compile_time);
  }
  read(j, "noise_byte", c.noise_byte);
  int noise = c.noise_value;
  read(j, "noise_value", noise);
  if (noise < 0 || noise > 255) throw std::invalid_argument("wizfi360 config: noise_value must be 0..255");
  c.noise_value = static_cast<std::uint8_t>(noise);
  read(j, "max_line", c.max_line);
  read(j, "accept_lower_at", c.accept_lower_at);
  read(j, "netconfig_port", c.netconfig_port);
  if (c.netconfig_port < 1 || c.netconfig_port > 65535)
    throw std::invalid_argument("wizfi360 config: netconfig_port must be 1..65535");
  c.timing = load_timing(j.value("timing", json::object()), j);

  Settings f;
  if (j.contains("uart")) f.uart = uart_from_link_config(j.at("uart"));
  if (j.contains("mac")) {
    auto mac = j.at("mac").is_string() ? at::parse_mac(j.at("mac").get<std::string>()) : std::nullopt;
    if (!mac) throw std::invalid_argument("wizfi360 config: bad MAC address in field mac");
    if ((*mac)[0] & 1) throw std::invalid_argument("wizfi360 config: mac must not be a multicast address");
    f.sta_mac = *mac;
  }
  if (j.contains("factory")) {
    const json& fj = j.at("factory");
    f = settings_from_json(fj, f);
    read(fj, "sleep", c.factory_sleep_mode);
  }
  c.factory = f;
  c.world = load_world(j);
  return c;
}

}  // namespace simdev::wizfi360
