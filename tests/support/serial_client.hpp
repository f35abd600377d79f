#pragma once
// The host side of a simdev serial endpoint for tests: a pty opened raw, or a TCP/unix connection, with
// reads that always carry a deadline.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace simdev::test {

using namespace std::chrono_literals;

class SerialClient {
 public:
  // Opens a pty (its /dev/pts path or the symlink) with O_NOCTTY and puts it in raw mode.
  static SerialClient open_pty(const std::string& path);
  static SerialClient connect_tcp(std::uint16_t port, const std::string& host = "127.0.0.1");
  static SerialClient connect_unix(const std::string& path);

  SerialClient(SerialClient&& other) noexcept;
  SerialClient& operator=(SerialClient&& other) noexcept;
  ~SerialClient();

  void write(std::string_view bytes);
  // Reads until the bytes received contain `expected`; returns everything up to and including its first
  // occurrence (later bytes stay buffered for the next read). On timeout returns what arrived so far.
  std::string read_until(std::string_view expected, std::chrono::milliseconds timeout = 5s);
  // Everything that arrives within `window` (for asserting silence or collecting a burst).
  std::string read_for(std::chrono::milliseconds window);
  // Sets the client's line speed (pty only), as a terminal program would.
  void set_baud(unsigned baud);
  void close();
  int fd() const { return fd_; }

 private:
  explicit SerialClient(int fd) : fd_(fd) {}
  // Waits up to `timeout_ms` for bytes and appends them to buffer_; false on timeout or EOF.
  bool fill(int timeout_ms);

  int fd_ = -1;
  bool closed_ = false;  // the other end hung up
  std::string buffer_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bind to 0, read the port, close).
std::uint16_t free_tcp_port();

}  // namespace simdev::test
