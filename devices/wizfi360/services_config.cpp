#include <stdexcept>

#include "devices/wizfi360/json_fields.hpp"
#include "devices/wizfi360/services.hpp"

namespace simdev::wizfi360 {
namespace {

using nlohmann::json;

const std::string kBad = "wizfi360 config: bad value in field services.";

template <class T>
void read(const json& j, const char* field, T& out) {
  read_field(j, field, out, kBad);
}

void read_ms(const json& j, const char* field, Millis& out) { read_millis(j, field, out, kBad); }

}  // namespace

ServicesConfig ServicesConfig::from_json(const json& j) {
  ServicesConfig c;
  if (j.is_null()) return c;
  if (!j.is_object()) throw std::invalid_argument("wizfi360 config: services must be an object");
  read(j, "dns_factory", c.dns_factory);
  read(j, "dns_enabled", c.dns_enabled);
  if (!at::parse_ipv4(c.dns_factory) || !at::parse_ipv4(c.dns_enabled))
    throw std::invalid_argument("wizfi360 config: services.dns_factory/dns_enabled must be IPv4 addresses");
  read_ms(j, "dns_timeout_ms", c.dns_timeout);
  read_ms(j, "ping_timeout_ms", c.ping_timeout);
  read(j, "ping_rtt_ms", c.ping_rtt_ms);
  read(j, "sntp_enabled", c.sntp_enabled);
  read(j, "sntp_timezone", c.sntp_timezone);
  if (c.sntp_timezone < -11 || c.sntp_timezone > 13)
    throw std::invalid_argument("wizfi360 config: services.sntp_timezone must be -11..13");
  read(j, "sntp_servers", c.sntp_servers);
  if (c.sntp_servers.empty() || c.sntp_servers.size() > 3)
    throw std::invalid_argument("wizfi360 config: services.sntp_servers must list 1..3 servers");
  long port = c.sntp_port;
  read(j, "sntp_port", port);
  if (port < 1 || port > 65535) throw std::invalid_argument("wizfi360 config: services.sntp_port must be 1..65535");
  c.sntp_port = static_cast<std::uint16_t>(port);
  read_ms(j, "sntp_timeout_ms", c.sntp_timeout);
  read_ms(j, "sntp_interval_ms", c.sntp_interval);
  if (c.sntp_interval.count() == 0) throw std::invalid_argument("wizfi360 config: services.sntp_interval_ms must be > 0");
  read(j, "update_url", c.update_url);
  read_ms(j, "update_timeout_ms", c.update_timeout);
  read(j, "update_max_bytes", c.update_max_bytes);
  return c;
}

}  // namespace simdev::wizfi360
