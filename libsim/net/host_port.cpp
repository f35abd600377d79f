#include "libsim/net/host_port.hpp"

#include <charconv>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>

namespace simdev::net {
namespace {

std::uint16_t parse_port(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > 65535) {
    throw std::invalid_argument("bad port \"" + std::string(text) + "\"");
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string HostPort::to_string() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

bool is_ip_literal(std::string_view host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(host), ec);
  return !ec;
}

HostAndOptionalPort parse_host_port(std::string_view text) {
  HostAndOptionalPort result;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("missing ']'");
    result.host = std::string(text.substr(1, close - 1));
    const auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') throw std::invalid_argument("unexpected text after ']'");
      result.port = parse_port(rest.substr(1));
    }
  } else {
    const auto first = text.find(':');
    if (first != std::string_view::npos && text.find(':', first + 1) == std::string_view::npos) {
      result.host = std::string(text.substr(0, first));
      result.port = parse_port(text.substr(first + 1));
    } else {
      result.host = std::string(text);  // no colon, or a bare IPv6 literal
    }
  }
  if (result.host.empty()) throw std::invalid_argument("empty host");
  return result;
}

}  // namespace simdev::net
