#pragma once
// Byte containers shared by every layer, plus printable renderings for logs and traces.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace simdev {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string as_string(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// C-style escaped text: printable ASCII as is, \r \n \t \\ \" and \xNN for the rest.
std::string escape_bytes(ByteView b);
// Lower-case hex without separators.
std::string hex_bytes(ByteView b);
// The inverse of hex_bytes (either case); nullopt for an odd length or a non-hex digit.
std::optional<Bytes> parse_hex_bytes(std::string_view text);

}  // namespace simdev
