#pragma once
// --serial tcp:HOST:PORT and unix:PATH: a stream server that serves one client at a time.
#include <cstdint>
#include <memory>
#include <string>

#include "libsim/serial/transport.hpp"

namespace simdev::serial {

// Port 0 binds an ephemeral port; describe() reports the bound one. A taken port throws EndpointInUse.
std::unique_ptr<Transport> make_tcp_transport(const boost::asio::any_io_executor& ex, const std::string& host,
                                              std::uint16_t port);
// The socket file gets mode 0600 and is removed on close. A stale file (nothing listening) is replaced;
// a live one throws EndpointInUse.
std::unique_ptr<Transport> make_unix_transport(const boost::asio::any_io_executor& ex, const std::string& path);

}  // namespace simdev::serial
