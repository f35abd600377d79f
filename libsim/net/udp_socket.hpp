#pragma once
// A bound UDP socket. Destinations pass through the address map; sources come back both as host endpoints and
// reverse-mapped virtual ones. Same lifetime rule as ByteStream: after close() or destruction no handler runs.
#include <cstddef>
#include <functional>

#include <boost/system/error_code.hpp>

#include "libsim/net/host_port.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::net {

struct Datagram {
  HostPort host_source;     // where it really came from, e.g. 127.0.0.1:15000
  HostPort virtual_source;  // what the device reports, e.g. 192.168.11.3:5000 (= host_source when unmapped)
  ByteView data;            // valid only during the handler call
};

class UdpSocket {
 public:
  using ReceiveHandler = std::function<void(const boost::system::error_code& ec, const Datagram& datagram)>;
  using SendHandler = std::function<void(const boost::system::error_code& ec, std::size_t sent)>;

  virtual ~UdpSocket() = default;

  // Starts (or replaces the handler of) a receive loop: the handler runs once per datagram until close().
  virtual void start_receiving(ReceiveHandler handler) = 0;
  // Sends one datagram to a virtual destination (mapped, then resolved asynchronously when it is a name).
  // Datagrams go out in call order.
  virtual void send_to(const HostPort& virtual_destination, Bytes data, SendHandler handler = {}) = 0;
  virtual void close() = 0;  // idempotent
  virtual bool is_open() const = 0;

  virtual std::uint16_t device_port() const = 0;
  virtual HostPort host_port() const = 0;  // bound host address and real port
};

}  // namespace simdev::net
