#pragma once
// Helpers for the serial unit tests: drive an io_context in the test thread until a condition holds, and
// act as the host program through plain non-blocking file descriptors (pty client, TCP or unix client).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>

namespace simdev::test {

// Runs handlers until `done()` holds or `timeout` passes; returns `done()`.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(1));
  }
  return true;
}

// The host end of a serial endpoint, as a non-blocking fd the test thread polls.
class HostEnd {
 public:
  explicit HostEnd(int fd) : fd_(fd) {
    if (fd_ >= 0) ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
  ~HostEnd() { close(); }
  HostEnd(const HostEnd&) = delete;
  HostEnd& operator=(const HostEnd&) = delete;

  // A raw pty client, opened the way a host program opens /dev/ttyUSB0.
  static int open_tty(const std::string& path) { return ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC); }
  static int connect_tcp(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }
  static int connect_unix(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool write(const std::string& s) { return ::write(fd_, s.data(), s.size()) == static_cast<ssize_t>(s.size()); }
  // Writes as much as the kernel takes right now; returns how much that was.
  std::size_t write_some(const std::string& s) {
    const ssize_t n = ::write(fd_, s.data(), s.size());
    return n > 0 ? static_cast<std::size_t>(n) : 0;
  }
  // Appends whatever is readable now to `received`; notes end of stream.
  void pump() {
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n == 0) eof = true;
      if (n <= 0) return;
      received.append(buf, static_cast<std::size_t>(n));
    }
  }
  std::string received;
  bool eof = false;

 private:
  int fd_;
};

}  // namespace simdev::test
