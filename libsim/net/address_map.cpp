#include "libsim/net/address_map.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <boost/asio/ip/address_v4.hpp>

namespace simdev::net {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

AddressMap AddressMap::from_json(const nlohmann::json& object) {
  AddressMap map;
  if (object.is_null()) return map;
  if (!object.is_object()) throw std::invalid_argument("address_map: must be an object of \"from\": \"to\" strings");
  for (const auto& [key, value] : object.items()) {
    if (!value.is_string()) throw std::invalid_argument("address_map[\"" + key + "\"]: value must be a string");
    map.add(key, value.get<std::string>());
  }
  return map;
}

void AddressMap::add(std::string_view key, std::string_view value) {
  Rule rule;
  try {
    auto from = parse_host_port(key);
    auto to = parse_host_port(value);
    rule.key_port = from.port;
    rule.value_host = to.host;
    rule.value_port = to.port;
    if (from.host.starts_with("*.")) {
      rule.wildcard = true;
      rule.key_host = lower(from.host.substr(1));
      if (rule.key_host.size() < 2) throw std::invalid_argument("empty wildcard suffix");
    } else if (from.host.find('*') != std::string::npos) {
      throw std::invalid_argument("a wildcard must be a leading \"*.\"");
    } else {
      rule.key_host = lower(from.host);
    }
    if (to.host.find('*') != std::string::npos) throw std::invalid_argument("the target cannot be a wildcard");
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("address_map[\"" + std::string(key) + "\"]: " + e.what());
  }
  rules_.push_back(std::move(rule));
}

const AddressMap::Rule* AddressMap::find(std::string_view host, std::optional<std::uint16_t> port) const {
  const std::string name = lower(host);
  const Rule* exact_host = nullptr;
  const Rule* best_wildcard = nullptr;
  for (const auto& rule : rules_) {
    if (rule.key_port && (!port || *rule.key_port != *port)) continue;
    if (!rule.wildcard) {
      if (rule.key_host != name) continue;
      if (rule.key_port) return &rule;  // exact host:port wins outright
      if (!exact_host) exact_host = &rule;
      continue;
    }
    if (!ends_with(name, rule.key_host)) continue;
    const bool better = !best_wildcard || rule.key_host.size() > best_wildcard->key_host.size() ||
                        (rule.key_host.size() == best_wildcard->key_host.size() && rule.key_port && !best_wildcard->key_port);
    if (better) best_wildcard = &rule;
  }
  return exact_host ? exact_host : best_wildcard;
}

HostPort AddressMap::map(const HostPort& destination) const {
  const Rule* rule = find(destination.host, destination.port);
  if (!rule) return destination;
  return {rule->value_host, rule->value_port.value_or(destination.port)};
}

std::optional<std::string> AddressMap::map_host(std::string_view name) const {
  const Rule* rule = find(name, std::nullopt);
  if (!rule) return std::nullopt;
  return rule->value_host;
}

std::optional<HostPort> AddressMap::reverse(const HostPort& host_endpoint) const {
  const std::string host = lower(host_endpoint.host);
  // Pass 0: value has a port (unique target); pass 1: key has a port; pass 2: neither (port kept).
  for (int pass = 0; pass < 3; ++pass) {
    for (const auto& rule : rules_) {
      if (rule.wildcard || !is_ip_literal(rule.key_host) || lower(rule.value_host) != host) continue;
      const int rule_pass = rule.value_port ? 0 : rule.key_port ? 1 : 2;
      if (rule_pass != pass) continue;
      if (rule.value_port) {
        if (*rule.value_port != host_endpoint.port) continue;
      } else if (rule.key_port && *rule.key_port != host_endpoint.port) {
        continue;
      }
      return HostPort{rule.key_host, rule.key_port.value_or(host_endpoint.port)};
    }
  }
  return std::nullopt;
}

const AddressMap::Rule* AddressMap::find_any_port(std::string_view host) const {
  if (const Rule* portless = find(host, std::nullopt)) return portless;
  const std::string name = lower(host);
  const Rule* best_wildcard = nullptr;
  for (const auto& rule : rules_) {
    if (!rule.wildcard) {
      if (rule.key_host == name) return &rule;
      continue;
    }
    if (ends_with(name, rule.key_host) && (!best_wildcard || rule.key_host.size() > best_wildcard->key_host.size()))
      best_wildcard = &rule;
  }
  return best_wildcard;
}

std::optional<std::string> AddressMap::target_host(std::string_view name) const {
  const Rule* rule = find_any_port(name);
  if (!rule) return std::nullopt;
  return rule->value_host;
}

std::optional<std::string> AddressMap::virtual_ipv4(std::string_view name) const {
  const Rule* named = find_any_port(name);
  if (!named) return std::nullopt;
  for (const auto& rule : rules_) {
    if (&rule == named || rule.wildcard || rule.value_port != named->value_port) continue;
    if (lower(rule.value_host) != lower(named->value_host)) continue;
    boost::system::error_code ec;
    boost::asio::ip::make_address_v4(rule.key_host, ec);
    if (!ec) return rule.key_host;
  }
  return std::nullopt;
}

}  // namespace simdev::net
