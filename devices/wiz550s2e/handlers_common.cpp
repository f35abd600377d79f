#include <limits>

#include "devices/wiz550s2e/handlers.hpp"
#include "devices/wiz550s2e/response.hpp"

namespace simdev::wiz550s2e {

std::optional<long> number(std::string_view arg) {
  if (!all_digits(arg)) return std::nullopt;
  long value = 0;
  for (char c : arg) {
    if (value > std::numeric_limits<long>::max() / 10 - 10) return std::numeric_limits<long>::max();
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<int> selector(Module& m, std::string_view arg, int max) {
  if (arg.empty()) return 0;
  auto n = number(arg);
  if (!n) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
    return std::nullopt;
  }
  if (*n < 1 || *n > max) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 1));
    return std::nullopt;
  }
  return static_cast<int>(*n);
}

void not_allowed(Module& m, const CommandLine&) { m.write_serial(failure(ErrorCode::not_allowed)); }

}  // namespace simdev::wiz550s2e
