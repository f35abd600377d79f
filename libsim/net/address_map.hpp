#pragma once
// Rewrites the device's virtual destinations to host ones, and host sources back to virtual ones.
//
// Built from JSON such as
//   {"192.168.11.3:5000": "127.0.0.1:15000", "io.adafruit.com": "127.0.0.1", "*.azure-devices.net": "127.0.0.1:18883"}
// Keys: host, host:port, ip, ip:port, *.suffix, *.suffix:port ("*.x.net" matches "a.x.net" and "a.b.x.net", not
// "x.net"). Values: host or host:port; a value without a port keeps the destination's port.
// Precedence: exact host:port > exact host > wildcard with the longest suffix (a wildcard with a port beats the
// same suffix without one). Host names compare case-insensitively. Unmapped destinations pass through unchanged.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/net/host_port.hpp"

namespace simdev::net {

class AddressMap {
 public:
  AddressMap() = default;
  // Throws std::invalid_argument naming the offending key, e.g. `address_map["a:99999"]: bad port`.
  static AddressMap from_json(const nlohmann::json& object);

  // Adds one rule; throws std::invalid_argument naming the key on a parse error.
  void add(std::string_view key, std::string_view value);

  // Where a connection/datagram to `destination` really goes.
  HostPort map(const HostPort& destination) const;
  // Name-only rewrite for DNS answers (port-less rules and port-less wildcards); nullopt when no rule applies.
  std::optional<std::string> map_host(std::string_view name) const;
  // Host endpoint -> the virtual endpoint the device should see, using rules whose key is an IP literal
  // (e.g. "192.168.11.3:5000": "127.0.0.1:15000" turns 127.0.0.1:15000 into 192.168.11.3:5000).
  // Rules with a port in the value match first, then rules with a port in the key, then port-less ones
  // (which keep the source port). nullopt when nothing maps to it.
  std::optional<HostPort> reverse(const HostPort& host_endpoint) const;
  // The host a name's traffic goes to under any rule naming it, port-less rules first, then rules keyed with a
  // port (so "192.168.11.3:5000" also names 192.168.11.3); nullopt when no rule names it.
  std::optional<std::string> target_host(std::string_view name) const;
  // The virtual IPv4 address a name stands for: the key of an IPv4-literal rule that sends traffic exactly
  // where the name's rule does (same target host and port). With {"broker.lab": "127.0.0.1:18830",
  // "10.0.0.5": "127.0.0.1:18830"}, "broker.lab" stands for 10.0.0.5. nullopt when no such rule exists.
  std::optional<std::string> virtual_ipv4(std::string_view name) const;

  bool empty() const { return rules_.empty(); }
  std::size_t size() const { return rules_.size(); }

 private:
  struct Rule {
    std::string key_host;  // lower-case; for wildcards the suffix including the leading dot (".azure-devices.net")
    std::optional<std::uint16_t> key_port;
    bool wildcard = false;
    std::string value_host;
    std::optional<std::uint16_t> value_port;
  };
  const Rule* find(std::string_view host, std::optional<std::uint16_t> port) const;
  const Rule* find_any_port(std::string_view host) const;

  std::vector<Rule> rules_;
};

}  // namespace simdev::net
