#pragma once
// --serial stdio: the host program is whoever holds simdev's stdin/stdout (a pipe from a parent process).
// Attached while stdin is open; after EOF, device output is dropped and counted.
#include <array>

#include <boost/asio/posix/stream_descriptor.hpp>

#include "libsim/serial/lifetime.hpp"
#include "libsim/serial/output_buffer.hpp"
#include "libsim/serial/transport.hpp"

namespace simdev::serial {

class StdioTransport final : public Transport {
 public:
  // The descriptors default to 0 and 1; tests pass pipe ends. They are duplicated, never closed.
  explicit StdioTransport(const boost::asio::any_io_executor& ex, int in_fd = 0, int out_fd = 1);
  ~StdioTransport() override;

  void open() override;
  void start(TransportEvents events) override;
  void write(ByteView bytes) override;
  std::size_t pending_output() const override { return out_.size(); }
  void set_output_drained_handler(std::function<void()> handler) override { drained_ = std::move(handler); }
  void pause_reading(bool paused) override;
  bool attached() const override { return attached_; }
  void close() override;
  nlohmann::json describe() const override { return {{"type", "stdio"}}; }
  const TransportCounters& counters() const override { return counters_; }

 private:
  void read_next();
  void write_next();
  void detach();

  int in_fd_;
  int out_fd_;
  int in_flags_ = -1;  // original file status flags, restored on close (O_NONBLOCK is shared with the parent)
  int out_flags_ = -1;
  boost::asio::posix::stream_descriptor in_;
  boost::asio::posix::stream_descriptor out_stream_;
  TransportEvents events_;
  std::function<void()> drained_;
  TransportCounters counters_;
  OutputBuffer out_;
  std::array<std::uint8_t, 4096> read_buf_{};
  bool opened_ = false;
  bool attached_ = false;
  bool paused_ = false;
  bool reading_ = false;
  bool writing_ = false;
  Lifetime lifetime_;
};

}  // namespace simdev::serial
