#pragma once
// Splitting a completed AT line into sign, command token and arguments (spec §1.2).
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace simdev::wiz550s2e {

enum class Sign { none, equal, query, individual };

struct CommandLine {
  Sign sign = Sign::none;
  std::string token;               // upper-cased, e.g. "AT+NSET"
  std::array<std::string, 6> args;  // missing arguments are empty
  std::string_view arg(int index) const { return args[static_cast<std::size_t>(index - 1)]; }
};

struct ParseResult {
  CommandLine command;
  std::optional<std::string> error;  // a complete [F,...] response when the arguments are malformed
};

ParseResult parse_command_line(std::string_view line);

}  // namespace simdev::wiz550s2e
