#include "tests/support/tftp_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace simdev::test {
namespace {

constexpr int kPollMs = 20;  // how often the thread looks at the stop flag
constexpr int kAckTimeoutMs = 300;
constexpr int kRetries = 5;

int bound_loopback_socket() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("tftp: bind failed");
  return fd;
}

std::uint16_t port_of(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

bool readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) > 0;
}

Bytes packet(std::uint16_t opcode, std::uint16_t number) {
  return {static_cast<std::uint8_t>(opcode >> 8), static_cast<std::uint8_t>(opcode), static_cast<std::uint8_t>(number >> 8),
          static_cast<std::uint8_t>(number)};
}

}  // namespace

TftpServer::TftpServer() : fd_(bound_loopback_socket()), port_(port_of(fd_)), thread_([this] { run(); }) {}

TftpServer::~TftpServer() {
  stop_ = true;
  thread_.join();
  ::close(fd_);
}

void TftpServer::add_file(const std::string& name, Bytes content) {
  std::lock_guard lock(mutex_);
  files_[name] = std::move(content);
}

std::vector<std::string> TftpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void TftpServer::run() {
  std::array<std::uint8_t, 1024> buffer{};
  while (!stop_) {
    if (!readable(fd_, kPollMs)) continue;
    sockaddr_in client{};
    socklen_t length = sizeof client;
    const auto n = ::recvfrom(fd_, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&client), &length);
    if (n < 4 || buffer[0] != 0 || buffer[1] != 1) continue;  // read requests only
    const auto* name_begin = reinterpret_cast<const char*>(buffer.data() + 2);
    const std::string file(name_begin, strnlen(name_begin, static_cast<std::size_t>(n) - 2));
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(file);
    }
    serve(file, &client, length);
  }
}

// Each transfer gets its own socket (the server's transfer id), as RFC 1350 asks.
void TftpServer::serve(const std::string& file, const void* client, unsigned client_length) {
  const int fd = bound_loopback_socket();
  const auto* to = static_cast<const sockaddr*>(client);
  Bytes content;
  bool found = false;
  {
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(file); it != files_.end()) content = it->second, found = true;
  }
  if (!found) {
    Bytes error = packet(5, 1);
    for (char c : std::string("File not found")) error.push_back(static_cast<std::uint8_t>(c));
    error.push_back(0);
    ::sendto(fd, error.data(), error.size(), 0, to, client_length);
    ::close(fd);
    return;
  }
  std::array<std::uint8_t, 1024> buffer{};
  const std::size_t blocks = content.size() / 512 + 1;
  for (std::size_t block = 1; block <= blocks && !stop_; ++block) {
    if (stall_after_ >= 0 && static_cast<int>(block) > stall_after_) break;
    Bytes data = packet(3, static_cast<std::uint16_t>(block));
    const std::size_t offset = (block - 1) * 512;
    const std::size_t size = std::min<std::size_t>(512, content.size() - offset);
    data.insert(data.end(), content.begin() + static_cast<long>(offset), content.begin() + static_cast<long>(offset + size));
    bool acked = false;
    for (int attempt = 0; attempt < kRetries && !acked && !stop_; ++attempt) {
      ::sendto(fd, data.data(), data.size(), 0, to, client_length);
      while (!acked && readable(fd, kAckTimeoutMs)) {
        const auto n = ::recv(fd, buffer.data(), buffer.size(), 0);
        acked = n >= 4 && buffer[1] == 4 && ((buffer[2] << 8) | buffer[3]) == static_cast<int>(block & 0xFFFF);
      }
    }
    if (!acked) break;
    if (block == blocks) ++completed_;
  }
  ::close(fd);
}

}  // namespace simdev::test
