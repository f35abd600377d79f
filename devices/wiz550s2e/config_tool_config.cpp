#include "devices/wiz550s2e/config_tool_config.hpp"

#include <stdexcept>

#include "devices/wiz550s2e/config_tool_codec.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

long long non_negative(const nlohmann::json& j, const char* key, long long fallback) {
  if (!j.contains(key)) return fallback;
  const auto& v = j.at(key);
  if (!v.is_number_integer() || v.get<long long>() < 0)
    throw std::invalid_argument(std::string("config_tool.") + key + ": expected a non-negative integer");
  return v.get<long long>();
}

}  // namespace

ToolConfig load_tool_config(const nlohmann::json& device_config) {
  ToolConfig out;
  if (!device_config.is_object() || !device_config.contains("config_tool")) return out;
  const auto& j = device_config.at("config_tool");
  if (j.is_null()) return out;
  if (!j.is_object()) throw std::invalid_argument("config_tool: expected an object");
  if (j.contains("enabled")) {
    if (!j.at("enabled").is_boolean()) throw std::invalid_argument("config_tool.enabled: expected true/false");
    out.enabled = j.at("enabled").get<bool>();
  }
  if (j.contains("bind")) {
    const auto& b = j.at("bind");
    if (!b.is_string()) throw std::invalid_argument("config_tool.bind: expected \"IP:PORT\" (a string)");
    const std::string text = b.get<std::string>();
    try {
      const auto parsed = net::parse_host_port(text);
      if (!net::is_ip_literal(parsed.host)) throw std::invalid_argument("host must be an IP address");
      out.bind = {parsed.host, parsed.port.value_or(kPort)};
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("config_tool.bind: \"" + text + "\": " + e.what() + " (expected IP:PORT)");
    }
  }
  out.tftp_timeout = std::chrono::milliseconds(non_negative(j, "tftp_timeout_ms", out.tftp_timeout.count()));
  out.tftp_retries = static_cast<int>(non_negative(j, "tftp_retries", out.tftp_retries));
  return out;
}

}  // namespace simdev::wiz550s2e::config_tool
