#include "devices/wiz550s2e/device_config.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

#include "libsim/util/embedded_config.hpp"

namespace simdev::wiz550s2e {
namespace {

Millis millis(const nlohmann::json& timing, const char* key, Millis fallback) {
  if (!timing.contains(key)) return fallback;
  const auto& v = timing.at(key);
  if (!v.is_number_integer() || v.get<long long>() < 0)
    throw std::invalid_argument(std::string("timing.") + key + ": expected a non-negative integer");
  return Millis(v.get<long long>());
}

bool quirk(const nlohmann::json& quirks, const char* key) {
  if (!quirks.contains(key)) return false;
  if (!quirks.at(key).is_boolean()) throw std::invalid_argument(std::string("quirks.") + key + ": expected true/false");
  return quirks.at(key).get<bool>();
}

Ip4 required_ip(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j.at(key).is_string()) throw std::invalid_argument(std::string(key) + ": expected an IPv4 address");
  auto ip = parse_ip(j.at(key).get<std::string>());
  if (!ip) throw std::invalid_argument(std::string(key) + ": not an IPv4 address");
  return *ip;
}

std::array<std::uint8_t, 3> parse_version(const std::string& text) {
  unsigned a = 0, b = 0, c = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%u.%u.%u%c", &a, &b, &c, &tail) != 3 || a > 255 || b > 255 || c > 255)
    throw std::invalid_argument("firmware_version: expected major.minor.maintenance");
  return {static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b), static_cast<std::uint8_t>(c)};
}

}  // namespace

DeviceConfig load_device_config(const nlohmann::json& given) {
  // Keys the user did not set fall back to the embedded defaults.
  nlohmann::json config = nlohmann::json::parse(embedded_config("wiz550s2e"));
  if (given.is_object()) config.merge_patch(given);

  DeviceConfig out;
  auto mac = parse_mac(config.value("mac", std::string()));
  if (!mac) throw std::invalid_argument("mac: expected xx:xx:xx:xx:xx:xx");
  out.mac = *mac;
  out.firmware_version = parse_version(config.value("firmware_version", std::string("1.3.1")));

  out.factory = settings_from_json(config.value("factory", nlohmann::json::object()), Settings{});
  out.factory.mac = out.mac;
  out.factory.fw_ver = out.firmware_version;

  const auto timing = config.value("timing", nlohmann::json::object());
  Timing& t = out.timing;
  t.trigger_guard_before = millis(timing, "trigger_guard_before_ms", t.trigger_guard_before);
  t.trigger_gap = millis(timing, "trigger_gap_ms", t.trigger_gap);
  t.trigger_guard_after = millis(timing, "trigger_guard_after_ms", t.trigger_guard_after);
  t.trigger_settle = millis(timing, "trigger_settle_ms", t.trigger_settle);
  t.auth_timeout = millis(timing, "auth_timeout_ms", t.auth_timeout);
  t.connect_timeout = millis(timing, "connect_timeout_ms", t.connect_timeout);
  t.mqtt_command_timeout = millis(timing, "mqtt_command_timeout_ms", t.mqtt_command_timeout);
  // Read with the millisecond helper for its validation; the value is in seconds.
  t.mqtt_keepalive = std::chrono::seconds(millis(timing, "mqtt_keepalive_s", Millis(60)).count());
  t.dns_timeout = millis(timing, "dns_timeout_ms", t.dns_timeout);
  t.dhcp_fallback = millis(timing, "dhcp_fallback_ms", t.dhcp_fallback);
  t.dhcp_lease_delay = millis(timing, "dhcp_lease_delay_ms", t.dhcp_lease_delay);
  t.inactivity_tick = millis(timing, "inactivity_tick_ms", t.inactivity_tick);

  const auto quirks = config.value("quirks", nlohmann::json::object());
  Quirks& q = out.quirks;
  q.trigger_stale_offset_hang = quirk(quirks, "trigger_stale_offset_hang");
  q.fdns_infinite_loop = quirk(quirks, "fdns_infinite_loop");
  q.fdns_query_fatal_hang = quirk(quirks, "fdns_query_fatal_hang");
  q.no_result_on_refused_connect = quirk(quirks, "no_result_on_refused_connect");
  q.inactivity_immediate_drop = quirk(quirks, "inactivity_immediate_drop");
  q.bootloader_mac_prompt = quirk(quirks, "bootloader_mac_prompt");

  const auto network = config.value("network", nlohmann::json::object());
  if (network.contains("dhcp_lease") && network.at("dhcp_lease").is_object()) {
    const auto& l = network.at("dhcp_lease");
    out.dhcp_lease = DhcpLease{required_ip(l, "ip"), required_ip(l, "subnet"), required_ip(l, "gateway"),
                               required_ip(l, "dns")};
  }
  return out;
}

}  // namespace simdev::wiz550s2e
