#include "apps/simdev/wizcfg_transport.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "libsim/net/host_port.hpp"

namespace simdev::apps::wizcfg {

struct Transport::Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

Transport::Transport(const std::string& target) : target_text_(target), address_(std::make_unique<Address>()) {
  net::HostAndOptionalPort parsed;
  try {
    parsed = net::parse_host_port(target);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--target: ") + e.what());
  }
  if (!parsed.port || *parsed.port == 0) throw std::invalid_argument("--target: expected HOST:PORT with a port");
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(*parsed.port);
  if (::getaddrinfo(parsed.host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr)
    throw std::invalid_argument("--target: cannot resolve \"" + parsed.host + "\"");
  std::memcpy(&address_->storage, found->ai_addr, found->ai_addrlen);
  address_->length = found->ai_addrlen;
  fd_ = ::socket(found->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ::freeaddrinfo(found);
  if (fd_ < 0) throw std::runtime_error(std::string("cannot open a UDP socket: ") + std::strerror(errno));
}

Transport::~Transport() {
  if (fd_ >= 0) ::close(fd_);
}

void Transport::send(const Bytes& datagram) {
  const auto sent = ::sendto(fd_, datagram.data(), datagram.size(), 0,
                             reinterpret_cast<const sockaddr*>(&address_->storage), address_->length);
  if (sent < 0) throw std::runtime_error("cannot send to " + target_text_ + ": " + std::strerror(errno));
}

bool Transport::receive(std::chrono::milliseconds timeout, const std::function<bool(ByteView)>& on_reply) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<std::uint8_t, 2048> buffer{};
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const auto n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n < 0) continue;  // e.g. ICMP port unreachable reported on the socket: keep waiting until the deadline
    if (on_reply(ByteView(buffer.data(), static_cast<std::size_t>(n)))) return true;
  }
}

}  // namespace simdev::apps::wizcfg
