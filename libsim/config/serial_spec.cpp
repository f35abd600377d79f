#include "libsim/config/serial_spec.hpp"

#include <charconv>

namespace simdev::config {
namespace {

bool is_port(const std::string& text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size() && value <= 65535;
}

}  // namespace

std::optional<std::string> serial_spec_problem(const std::string& spec) {
  if (spec == "pty" || spec == "stdio") return std::nullopt;
  const auto colon = spec.find(':');
  const std::string type = spec.substr(0, colon);
  const std::string rest = colon == std::string::npos ? "" : spec.substr(colon + 1);
  if (type == "pty") {
    if (rest.empty()) return "pty: needs a link path after the colon (or use plain \"pty\")";
    return std::nullopt;
  }
  if (type == "unix") {
    if (rest.empty()) return "unix: needs a socket path";
    return std::nullopt;
  }
  if (type == "tcp") {
    const auto last = rest.rfind(':');
    if (last == std::string::npos || last == 0) return "\"" + spec + "\": expected tcp:HOST:PORT";
    if (!is_port(rest.substr(last + 1))) return "\"" + spec + "\": port \"" + rest.substr(last + 1) + "\" is not 0..65535";
    return std::nullopt;
  }
  return "unknown transport \"" + spec + "\" (expected pty, pty:LINK, tcp:HOST:PORT, unix:PATH or stdio)";
}

}  // namespace simdev::config
