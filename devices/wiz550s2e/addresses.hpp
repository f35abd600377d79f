#pragma once
// IPv4 and MAC values as the module stores them, and their text forms.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace simdev::wiz550s2e {

using Ip4 = std::array<std::uint8_t, 4>;
using Mac = std::array<std::uint8_t, 6>;

std::string to_string(const Ip4& ip);   // "192.168.11.100"
std::string to_string(const Mac& mac);  // "00:08:dc:1d:bb:8a" (lower case, as AT+NMAC prints it)

// The firmware's validators (spec §1.4): empty groups skipped, leading zeros allowed, 0.0.0.0 rejected.
std::optional<Ip4> parse_ip(std::string_view text);
std::optional<Mac> parse_mac(std::string_view text);
// strtol-like port check: leading blanks and '+' allowed, whole string consumed, 1..65535.
std::optional<std::uint16_t> parse_port(std::string_view text);
// Non-empty and digits only.
bool all_digits(std::string_view text);

}  // namespace simdev::wiz550s2e
