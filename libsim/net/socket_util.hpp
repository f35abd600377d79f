#pragma once
// Small helpers shared by the socket implementations.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include "libsim/net/host_port.hpp"

namespace simdev::net {

template <class Endpoint>
HostPort to_host_port(const Endpoint& endpoint) {
  return {endpoint.address().to_string(), endpoint.port()};
}

// SO_KEEPALIVE plus TCP_KEEPIDLE/TCP_KEEPINTVL = seconds; seconds <= 0 turns keepalive off.
void set_keepalive(boost::asio::ip::tcp::socket& socket, int seconds, boost::system::error_code& ec);

}  // namespace simdev::net
