#pragma once
// Per-connection knobs for outbound TCP/TLS streams.
#include <chrono>
#include <cstdint>

namespace simdev::net {

struct ConnectOptions {
  // Whole attempt: resolution + TCP connect + TLS handshake. Expiry reports boost::asio::error::timed_out.
  std::chrono::milliseconds timeout{10000};
  // > 0: SO_KEEPALIVE on, TCP_KEEPIDLE and TCP_KEEPINTVL set to this many seconds. 0: keepalive off.
  int keepalive_s = 0;
  // Non-zero: bind this local port first. Best effort: if it is taken the kernel picks one (logged);
  // ByteStream::local() tells what was used.
  std::uint16_t local_port = 0;
};

}  // namespace simdev::net
