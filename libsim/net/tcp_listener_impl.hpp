#pragma once
// Internal: builds the TcpListener and UdpSocket implementations for VirtualNetwork.
#include <memory>

#include "libsim/net/virtual_network.hpp"

namespace simdev::net {

std::unique_ptr<TcpListener> open_tcp_listener(VirtualNetwork& network, std::uint16_t device_port,
                                               const ListenOptions& options, boost::system::error_code& ec);
std::unique_ptr<UdpSocket> open_udp_socket(VirtualNetwork& network, std::uint16_t device_port,
                                           boost::system::error_code& ec);

}  // namespace simdev::net
