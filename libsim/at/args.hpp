#pragma once
// Argument parsing for AT set commands: `"quoted",12,"with \" escape",,"x"`.
// Inside quotes a backslash takes the next character literally. Helpers return nullopt for malformed input
// so each command can answer with its own error.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace simdev::at {

struct Arg {
  std::string text;     // unescaped content (without the quotes when quoted)
  bool quoted = false;
  bool empty() const { return !quoted && text.empty(); }  // an omitted parameter: `a,,b`
};

using Args = std::vector<Arg>;
using Ipv4 = std::array<std::uint8_t, 4>;
using Mac = std::array<std::uint8_t, 6>;

// Splits at commas outside quotes. nullopt: unterminated quote, or text glued to a closing quote.
std::optional<Args> split_args(std::string_view text);

// A decimal integer (optional leading '-') within [min, max], unquoted.
std::optional<long> to_int(const Arg& arg, long min, long max);
// A quoted string whose length is within [min_len, max_len].
std::optional<std::string> to_string(const Arg& arg, std::size_t min_len = 0, std::size_t max_len = 4096);

std::optional<Ipv4> parse_ipv4(std::string_view text);
std::string format_ipv4(const Ipv4& ip);
std::uint32_t ipv4_to_u32(const Ipv4& ip);
Ipv4 u32_to_ipv4(std::uint32_t v);

// `xx:xx:xx:xx:xx:xx`, hex digits of either case.
std::optional<Mac> parse_mac(std::string_view text);
std::string format_mac(const Mac& mac);  // lower-case

}  // namespace simdev::at
