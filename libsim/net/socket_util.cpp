#include "libsim/net/socket_util.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

namespace simdev::net {

void set_keepalive(boost::asio::ip::tcp::socket& socket, int seconds, boost::system::error_code& ec) {
  socket.set_option(boost::asio::socket_base::keep_alive(seconds > 0), ec);
  if (ec || seconds <= 0) return;
  const int fd = socket.native_handle();
  if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &seconds, sizeof seconds) != 0 ||
      setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &seconds, sizeof seconds) != 0) {
    ec.assign(errno, boost::system::system_category());
  }
}

}  // namespace simdev::net
