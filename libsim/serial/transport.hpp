#pragma once
// A serial endpoint the host program attaches to: pty, TCP, unix socket or stdio.
// Transports move bytes and report attach/detach; pacing is the UartLink's job.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <nlohmann/json.hpp>

#include "libsim/util/bytes.hpp"

namespace simdev::serial {

struct TransportCounters {
  std::uint64_t bytes_in = 0;       // host -> device, read from the endpoint
  std::uint64_t bytes_out = 0;      // device -> host, written to the endpoint
  std::uint64_t bytes_dropped = 0;  // device -> host while no client was attached
  std::uint64_t attaches = 0;       // client opens/connects seen
};

struct TransportEvents {
  std::function<void(ByteView)> on_data;              // host wrote bytes
  std::function<void(bool attached)> on_attach;       // client opened / closed
  std::function<void(std::uint32_t baud)> on_client_baud;  // pty: the client changed its line speed
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Opens the endpoint (creates the pty + link, binds the port...). Throws EndpointInUse when the
  // address is taken, std::runtime_error for any other failure.
  virtual void open() = 0;
  virtual void start(TransportEvents events) = 0;
  // Writes as much as the endpoint accepts; the rest stays queued inside the transport. Bytes written while
  // no client is attached are dropped and counted.
  virtual void write(ByteView bytes) = 0;
  // Bytes accepted by write() and not yet handed to the OS.
  virtual std::size_t pending_output() const = 0;
  virtual void set_output_drained_handler(std::function<void()> handler) = 0;
  virtual void pause_reading(bool paused) = 0;
  virtual bool attached() const = 0;
  virtual void close() = 0;

  // {"type":"pty","path":"/dev/pts/3","link":"/abs/wizfi360"} or {"type":"tcp","host":..,"port":..}...
  virtual nlohmann::json describe() const = 0;
  virtual const TransportCounters& counters() const = 0;
  virtual std::optional<std::uint32_t> client_baud() const { return std::nullopt; }
};

struct EndpointInUse : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Timing constants of the transports (configurable so tests and users can change them).
struct TransportOptions {
  // pty: how often a pty without a client (or with reading paused) is polled for POLLHUP changing.
  std::chrono::milliseconds pty_hup_poll_interval{20};
  // pty: most bytes taken from the client per read. Small in wire timing, so a host that outruns the line
  // is held back close to the RX FIFO mark; large at memory speed, where each read costs a context switch.
  std::size_t pty_read_bytes = 4096;
};

// Parses a --serial SPEC: "pty", "pty:LINK", "tcp:HOST:PORT", "unix:PATH", "stdio".
// `default_link` names the pty link for plain "pty". Throws std::invalid_argument naming the problem.
std::unique_ptr<Transport> make_transport(const boost::asio::any_io_executor& ex, const std::string& spec,
                                          const std::string& default_link);
std::unique_ptr<Transport> make_transport(const boost::asio::any_io_executor& ex, const std::string& spec,
                                          const std::string& default_link, const TransportOptions& options);

}  // namespace simdev::serial
