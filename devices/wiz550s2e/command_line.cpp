#include "devices/wiz550s2e/command_line.hpp"

#include <cctype>

#include "devices/wiz550s2e/response.hpp"

namespace simdev::wiz550s2e {
namespace {

constexpr std::size_t kLongArgLimit = 35;   // arguments 1..3
constexpr std::size_t kShortArgLimit = 19;  // arguments 4..6

Sign detect_sign(std::string_view line) {
  if (line.find('=') != std::string_view::npos) return Sign::equal;
  if (line.find('?') != std::string_view::npos) return Sign::query;
  if (line.find('-') != std::string_view::npos) return Sign::individual;
  return Sign::none;
}

}  // namespace

ParseResult parse_command_line(std::string_view line) {
  ParseResult result;
  CommandLine& cmd = result.command;
  cmd.sign = detect_sign(line);

  std::size_t delim = line.find_first_of("=-?");
  std::string_view token = line.substr(0, delim);
  cmd.token.reserve(token.size());
  for (char c : token) cmd.token.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (delim == std::string_view::npos) return result;

  std::string_view rest = line.substr(delim + 1);
  for (std::size_t i = 0; i < cmd.args.size(); ++i) {
    std::size_t comma = rest.find(',');
    std::string_view field = rest.substr(0, comma);
    std::size_t limit = i < 3 ? kLongArgLimit : kShortArgLimit;
    if (field.size() > limit) {
      result.error = arg_error(ErrorCode::wrong_arguments, static_cast<int>(i + 1));
      return result;
    }
    cmd.args[i] = std::string(field);
    if (comma == std::string_view::npos) return result;
    rest = rest.substr(comma + 1);
  }
  if (!rest.empty()) result.error = failure(ErrorCode::wrong_arguments);
  return result;
}

}  // namespace simdev::wiz550s2e
