#include "libsim/control/control_client.hpp"

#include <optional>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

namespace simdev::control {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

template <typename Socket, typename Endpoint>
std::string exchange(asio::io_context& io, Socket& socket, const Endpoint& ep, const std::string& request,
                     std::chrono::milliseconds timeout, const std::string& where) {
  std::optional<error_code> failure;
  std::string reply;
  bool done = false;
  const std::string line = request + "\n";
  socket.async_connect(ep, [&](const error_code& ec) {
    if (ec) {
      failure = ec;
      return;
    }
    asio::async_write(socket, asio::buffer(line), [&](const error_code& wec, std::size_t) {
      if (wec) {
        failure = wec;
        return;
      }
      asio::async_read_until(socket, asio::dynamic_buffer(reply), '\n', [&](const error_code& rec, std::size_t n) {
        if (rec) {
          failure = rec;
          return;
        }
        reply.resize(n - 1);
        done = true;
      });
    });
  });
  io.run_for(timeout);
  if (failure) throw std::runtime_error("control " + where + ": " + failure->message());
  if (!done) throw std::runtime_error("control " + where + ": no reply within " + std::to_string(timeout.count()) + " ms");
  return reply;
}

}  // namespace

std::string send_request(const ControlEndpoint& endpoint, const std::string& request,
                         std::chrono::milliseconds timeout) {
  asio::io_context io;
  if (endpoint.type == ControlEndpoint::Type::unix_socket) {
    asio::local::stream_protocol::socket socket(io);
    return exchange(io, socket, asio::local::stream_protocol::endpoint(endpoint.path), request, timeout,
                    endpoint.to_string());
  }
  error_code ec;
  const auto address = asio::ip::make_address(endpoint.host, ec);
  if (ec) throw std::runtime_error("control " + endpoint.to_string() + ": host must be an IP address");
  asio::ip::tcp::socket socket(io);
  return exchange(io, socket, asio::ip::tcp::endpoint(address, endpoint.port), request, timeout, endpoint.to_string());
}

}  // namespace simdev::control
