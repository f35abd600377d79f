
#include "tests/conformance/wiz550s2e/peers.hpp"

#include <boost/asio/write.hpp>

namespace simdev::wiz550s2e::test {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

std::uint16_t TcpPeer::bind() {
  socket_.open(tcp::v4());
  socket_.set_option(tcp::socket::reuse_address(true));
  socket_.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return socket_.local_endpoint().port();
}

void TcpPeer::connect(std::uint16_t port) {
  // Loopback connects complete in the kernel, no accept() needed, so a blocking call is fine here.
  socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  socket_.set_option(tcp::no_delay(true));
  start_reading();
}

TcpPeer::~TcpPeer() {
  *alive_ = false;
  close();
}

void TcpPeer::adopt(tcp::socket socket) {
  socket_ = std::move(socket);
  start_reading();
}

void TcpPeer::write(const std::string& data) { asio::write(socket_, asio::buffer(data)); }

void TcpPeer::close() {
  boost::system::error_code ec;
  socket_.close(ec);
}

void TcpPeer::start_reading() {
  std::weak_ptr<bool> alive = alive_;
  socket_.async_read_some(asio::buffer(buffer_), [this, alive](const boost::system::error_code& ec, std::size_t n) {
    if (alive.expired()) return;
    received.append(buffer_, n);
    if (ec) {
      eof = true;
      return;
    }
    start_reading();
  });
}

UdpPeer::UdpPeer(asio::io_context& io) : socket_(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

UdpPeer::~UdpPeer() {
  *alive_ = false;
  boost::system::error_code ec;
  socket_.close(ec);
}

void UdpPeer::send_to(std::uint16_t port, const std::string& data) {
  socket_.send_to(asio::buffer(data), udp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

void UdpPeer::start_receiving() {
  std::weak_ptr<bool> alive = alive_;
  socket_.async_receive_from(asio::buffer(buffer_), from_,
                             [this, alive](const boost::system::error_code& ec, std::size_t n) {
    if (ec || alive.expired()) return;
    received.append(buffer_, n);
    list.emplace_back(buffer_, n);
    ++datagrams;
    start_receiving();
  });
}

std::uint16_t host_port(const nlohmann::json& listeners, std::uint16_t device_port, const std::string& proto) {
  for (const auto& l : listeners)
    if (l.value("device_port", 0) == device_port && l.value("proto", "") == proto) return l.value("port", 0);
  return 0;
}

}  // namespace simdev::wiz550s2e::test
