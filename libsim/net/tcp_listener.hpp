#pragma once
// A listening TCP socket bound on the host for one device port.
// Same lifetime rule as ByteStream: after close() or destruction no handler is invoked.
#include <cstddef>
#include <functional>
#include <memory>

#include <boost/system/error_code.hpp>

#include "libsim/net/byte_stream.hpp"
#include "libsim/net/host_port.hpp"

namespace simdev::net {

struct ListenOptions {
  int backlog = 5;
  // Open accepted streams allowed at once; beyond that a new connection is accepted and closed at once
  // (counted in rejected()). 0 = unlimited.
  std::size_t max_connections = 0;
};

class TcpListener {
 public:
  // Called once per accepted connection that fits the limit. Errors other than cancellation are reported too
  // (accepting continues after transient errors such as EMFILE).
  using AcceptHandler = std::function<void(const boost::system::error_code& ec, std::unique_ptr<ByteStream> stream)>;

  virtual ~TcpListener() = default;

  // Starts (or replaces the handler of) the accept loop. Accepting continues until close().
  virtual void start_accepting(AcceptHandler handler) = 0;
  // Changes the limit for future connections (existing ones stay).
  virtual void set_max_connections(std::size_t max_connections) = 0;
  virtual std::size_t open_connections() const = 0;  // accepted streams still open
  virtual std::size_t rejected() const = 0;          // connections closed because of the limit
  virtual void close() = 0;                          // idempotent
  virtual bool is_open() const = 0;

  virtual std::uint16_t device_port() const = 0;
  virtual HostPort host_port() const = 0;  // the bound host address and the real port (ephemeral resolved)
};

}  // namespace simdev::net
