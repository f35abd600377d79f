#include "libsim/control/control_endpoint.hpp"

#include <charconv>
#include <stdexcept>

namespace simdev::control {

ControlEndpoint ControlEndpoint::parse(const std::string& spec) {
  ControlEndpoint e;
  if (spec.rfind("unix:", 0) == 0) {
    e.type = Type::unix_socket;
    e.path = spec.substr(5);
    if (e.path.empty()) throw std::invalid_argument("\"" + spec + "\": unix: needs a socket path");
    return e;
  }
  if (spec.rfind("tcp:", 0) == 0) {
    e.type = Type::tcp;
    const std::string rest = spec.substr(4);
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0) {
      throw std::invalid_argument("\"" + spec + "\": expected tcp:HOST:PORT");
    }
    e.host = rest.substr(0, colon);
    if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']') e.host = e.host.substr(1, e.host.size() - 2);
    const std::string port = rest.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
      throw std::invalid_argument("\"" + spec + "\": port \"" + port + "\" is not 0..65535");
    }
    e.port = static_cast<std::uint16_t>(value);
    return e;
  }
  throw std::invalid_argument("\"" + spec + "\": expected unix:PATH or tcp:HOST:PORT");
}

std::string ControlEndpoint::to_string() const {
  if (type == Type::unix_socket) return "unix:" + path;
  const bool v6 = host.find(':') != std::string::npos;
  return "tcp:" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace simdev::control
