#pragma once
// Literal wire bytes for the configuration-tool tests: "A5 80 00 A1 AA 00 00" → bytes, and the module of spec
// §5.4 (factory defaults, MAC 00:08:dc:1d:bb:8a, firmware 1.3.1).
#include <string>
#include <string_view>

#include "devices/wiz550s2e/device_config.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::wiz550s2e::config_tool::wire {

// Hex digit pairs; spaces are ignored.
inline Bytes hex(std::string_view text) {
  std::string digits;
  for (char c : text)
    if (c != ' ') digits.push_back(c);
  return parse_hex_bytes(digits).value();
}

inline Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline constexpr Mac kMac{0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x8a};
inline const std::string kMacHex = "00 08 DC 1D BB 8A ";

inline Settings spec_module() { return load_device_config(nlohmann::json::object()).factory; }

}  // namespace simdev::wiz550s2e::config_tool::wire
