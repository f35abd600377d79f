#pragma once
// A host (name or IP literal) and a port: the unit every net API speaks in.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace simdev::net {

struct HostPort {
  std::string host;        // "io.adafruit.com", "192.168.11.3", "::1" (IPv6 without brackets)
  std::uint16_t port = 0;

  bool operator==(const HostPort&) const = default;
  // "host:port", IPv6 as "[::1]:port".
  std::string to_string() const;
};

// True for a numeric IPv4/IPv6 address (no name lookup needed).
bool is_ip_literal(std::string_view host);

// Parses "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 literal. The port is nullopt when absent.
// Throws std::invalid_argument (message without context; callers add the field name) on a bad port or empty host.
struct HostAndOptionalPort {
  std::string host;
  std::optional<std::uint16_t> port;
};
HostAndOptionalPort parse_host_port(std::string_view text);

}  // namespace simdev::net
