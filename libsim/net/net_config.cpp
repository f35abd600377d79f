#include "libsim/net/net_config.hpp"

#include <charconv>
#include <stdexcept>

namespace simdev::net {
namespace {

std::uint16_t port_from_key(const std::string& key) {
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), value);
  if (key.empty() || ec != std::errc() || ptr != key.data() + key.size() || value == 0 || value > 65535) {
    throw std::invalid_argument("network.listen_map: key \"" + key + "\" is not a port (1..65535)");
  }
  return static_cast<std::uint16_t>(value);
}

std::uint16_t port_from_value(const std::string& key, const nlohmann::json& value) {
  if (!value.is_number_integer() || value.get<long long>() < 0 || value.get<long long>() > 65535) {
    throw std::invalid_argument("network.listen_map[\"" + key + "\"]: value must be a port 0..65535 (0 = ephemeral)");
  }
  return static_cast<std::uint16_t>(value.get<long long>());
}

}  // namespace

std::uint16_t NetConfig::host_port_for(std::uint16_t device_port) const {
  const auto it = listen_map.find(device_port);
  return it == listen_map.end() ? device_port : it->second;
}

NetConfig NetConfig::from_json(const nlohmann::json& network) {
  NetConfig config;
  if (network.is_null()) return config;
  if (!network.is_object()) throw std::invalid_argument("network: must be an object");

  if (auto it = network.find("listen_host"); it != network.end()) {
    if (!it->is_string() || !is_ip_literal(it->get<std::string>())) {
      throw std::invalid_argument("network.listen_host: must be an IP address string such as \"127.0.0.1\"");
    }
    config.listen_host = it->get<std::string>();
  }
  if (auto it = network.find("listen_map"); it != network.end() && !it->is_null()) {
    if (!it->is_object()) throw std::invalid_argument("network.listen_map: must be an object {\"5000\": 15000}");
    for (const auto& [key, value] : it->items()) config.listen_map[port_from_key(key)] = port_from_value(key, value);
  }
  if (auto it = network.find("address_map"); it != network.end()) {
    try {
      config.address_map = AddressMap::from_json(*it);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string("network.") + e.what());
    }
  }
  return config;
}

}  // namespace simdev::net
