#pragma once
// A connected TCP or TLS stream as a device sees it.
//
// Lifetime rule (it keeps device code free of use-after-free): once close() has been called or the stream has
// been destroyed, none of its handlers is ever invoked again. Pending operations are cancelled. Closing or
// destroying the stream from inside one of its own handlers is allowed (the same holds for TcpListener, UdpSocket,
// PendingConnect and mqtt::Client). A TLS stream sends
// its close_notify asynchronously in the background after close(); the device need not wait.
#include <cstddef>
#include <functional>

#include <boost/system/error_code.hpp>

#include "libsim/net/host_port.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::net {

class ByteStream {
 public:
  // `data` is valid only during the call. End of stream: ec == boost::asio::error::eof and empty data.
  using ReadHandler = std::function<void(const boost::system::error_code& ec, ByteView data)>;
  using WriteHandler = std::function<void(const boost::system::error_code& ec, std::size_t written)>;

  virtual ~ByteStream() = default;

  // Reads whatever is available (up to an internal 16 KiB buffer). One read outstanding at a time.
  virtual void async_read_some(ReadHandler handler) = 0;
  // Writes the whole buffer (the stream keeps its own copy). Writes are queued and go out in call order;
  // the handler (optional) fires when this buffer has been handed to the kernel.
  virtual void async_write(Bytes data, WriteHandler handler = {}) = 0;
  // Bytes accepted by async_write and not yet handed to the kernel.
  virtual std::size_t write_backlog() const = 0;
  // Idempotent. Cancels pending operations; their handlers are not called.
  virtual void close() = 0;
  virtual bool is_open() const = 0;

  virtual HostPort local() const = 0;          // host endpoint actually bound
  virtual HostPort remote() const = 0;         // host endpoint connected to
  // What the device should report as the peer: the destination it asked for (outbound) or the reverse-mapped
  // source (accepted; the host endpoint when no rule maps it).
  virtual HostPort virtual_remote() const = 0;
  virtual bool is_tls() const = 0;
  // The host socket's descriptor, for diagnostics and tests only (-1 after close). Devices must not use it.
  virtual int native_handle() const = 0;
};

}  // namespace simdev::net
