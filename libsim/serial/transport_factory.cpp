// --serial SPEC -> the transport it names.
#include <stdexcept>
#include <string_view>

#include "libsim/serial/pty_transport.hpp"
#include "libsim/serial/socket_transports.hpp"
#include "libsim/serial/stdio_transport.hpp"
#include "libsim/serial/transport.hpp"

namespace simdev::serial {
namespace {

std::uint16_t parse_port(std::string_view text, const std::string& spec) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string_view::npos) {
    throw std::invalid_argument("serial spec \"" + spec + "\": port must be a number 0-65535");
  }
  const unsigned long port = std::stoul(std::string(text));
  if (port > 65535) throw std::invalid_argument("serial spec \"" + spec + "\": port must be a number 0-65535");
  return static_cast<std::uint16_t>(port);
}

}  // namespace

std::unique_ptr<Transport> make_transport(const boost::asio::any_io_executor& ex, const std::string& spec,
                                          const std::string& default_link) {
  return make_transport(ex, spec, default_link, TransportOptions{});
}

std::unique_ptr<Transport> make_transport(const boost::asio::any_io_executor& ex, const std::string& spec,
                                          const std::string& default_link, const TransportOptions& options) {
  const std::string_view s(spec);
  const PtyOptions pty_options{options.pty_hup_poll_interval, options.pty_read_bytes};
  if (s == "pty") return std::make_unique<PtyTransport>(ex, default_link, pty_options);
  if (s.starts_with("pty:")) {
    const std::string link(s.substr(4));
    if (link.empty()) throw std::invalid_argument("serial spec \"" + spec + "\": empty link path");
    return std::make_unique<PtyTransport>(ex, link, pty_options);
  }
  if (s.starts_with("tcp:")) {
    const std::string_view rest = s.substr(4);
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      throw std::invalid_argument("serial spec \"" + spec + "\": expected tcp:HOST:PORT");
    }
    std::string host(rest.substr(0, colon));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return make_tcp_transport(ex, host, parse_port(rest.substr(colon + 1), spec));
  }
  if (s.starts_with("unix:")) {
    const std::string path(s.substr(5));
    if (path.empty()) throw std::invalid_argument("serial spec \"" + spec + "\": empty socket path");
    return make_unix_transport(ex, path);
  }
  if (s == "stdio") return std::make_unique<StdioTransport>(ex);
  throw std::invalid_argument("serial spec \"" + spec + "\": unknown transport (use pty, pty:LINK, tcp:HOST:PORT, unix:PATH or stdio)");
}

}  // namespace simdev::serial
