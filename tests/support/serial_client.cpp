#include "tests/support/serial_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>

namespace simdev::test {
namespace {

std::runtime_error os_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

SerialClient SerialClient::open_pty(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw os_error("open " + path);
  termios t{};
  if (::tcgetattr(fd, &t) == 0) {
    ::cfmakeraw(&t);
    ::tcsetattr(fd, TCSANOW, &t);
  }
  return SerialClient(fd);
}

SerialClient SerialClient::connect_tcp(std::uint16_t port, const std::string& host) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw os_error("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const auto e = os_error("connect " + host + ":" + std::to_string(port));
    ::close(fd);
    throw e;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return SerialClient(fd);
}

SerialClient SerialClient::connect_unix(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw os_error("socket");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const auto e = os_error("connect " + path);
    ::close(fd);
    throw e;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return SerialClient(fd);
}

SerialClient::SerialClient(SerialClient&& other) noexcept
    : fd_(other.fd_), closed_(other.closed_), buffer_(std::move(other.buffer_)) {
  other.fd_ = -1;
}

SerialClient& SerialClient::operator=(SerialClient&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    buffer_ = std::move(other.buffer_);
    other.fd_ = -1;
  }
  return *this;
}

SerialClient::~SerialClient() { close(); }

void SerialClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  closed_ = false;
  buffer_.clear();
}

void SerialClient::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        pollfd p{fd_, POLLOUT, 0};
        ::poll(&p, 1, 1000);
        continue;
      }
      throw os_error("write");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

bool SerialClient::fill(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return false;
  char buf[4096];
  const ssize_t n = ::read(fd_, buf, sizeof buf);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) closed_ = true;
  if (n <= 0) return false;
  buffer_.append(buf, static_cast<std::size_t>(n));
  return true;
}

std::string SerialClient::read_until(std::string_view expected, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto at = buffer_.find(expected);
    if (at != std::string::npos) {
      std::string out = buffer_.substr(0, at + expected.size());
      buffer_.erase(0, at + expected.size());
      return out;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (!fill(static_cast<int>(left.count())) && closed_) break;
  }
  std::string out;
  out.swap(buffer_);
  return out;
}

std::string SerialClient::read_for(std::chrono::milliseconds window) {
  const auto deadline = std::chrono::steady_clock::now() + window;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (!fill(static_cast<int>(left.count())) && closed_) break;
  }
  std::string out;
  out.swap(buffer_);
  return out;
}

void SerialClient::set_baud(unsigned baud) {
  static const std::map<unsigned, speed_t> speeds{{9600, B9600},     {19200, B19200},   {38400, B38400},
                                                  {57600, B57600},   {115200, B115200}, {230400, B230400},
                                                  {460800, B460800}, {921600, B921600}};
  const auto it = speeds.find(baud);
  if (it == speeds.end()) throw std::invalid_argument("unsupported test baud " + std::to_string(baud));
  termios t{};
  ::tcgetattr(fd_, &t);
  ::cfsetispeed(&t, it->second);
  ::cfsetospeed(&t, it->second);
  ::tcsetattr(fd_, TCSANOW, &t);
}

std::uint16_t free_tcp_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace simdev::test
