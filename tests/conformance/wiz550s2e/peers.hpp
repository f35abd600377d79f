#pragma once
// Real loopback peers for the network side of conformance transcripts, driven by the harness's io_context.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <nlohmann/json.hpp>

namespace simdev::wiz550s2e::test {

// A TCP endpoint that collects everything it receives.
class TcpPeer {
 public:
  explicit TcpPeer(boost::asio::io_context& io) : socket_(io) {}
  ~TcpPeer();
  TcpPeer(const TcpPeer&) = delete;
  TcpPeer& operator=(const TcpPeer&) = delete;
  // Binds 127.0.0.1 on an ephemeral port (so address-map rules can name it before connecting).
  std::uint16_t bind();
  void connect(std::uint16_t port);  // to 127.0.0.1
  void adopt(boost::asio::ip::tcp::socket socket);
  void write(const std::string& data);
  void close();
  void start_reading();

  boost::asio::ip::tcp::socket& socket() { return socket_; }
  std::string received;
  bool eof = false;

 private:
  boost::asio::ip::tcp::socket socket_;
  char buffer_[4096];
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // handlers may run after destruction
};

// A UDP endpoint on 127.0.0.1 that collects datagrams.
class UdpPeer {
 public:
  explicit UdpPeer(boost::asio::io_context& io);
  ~UdpPeer();
  std::uint16_t port() const { return socket_.local_endpoint().port(); }
  void send_to(std::uint16_t port, const std::string& data);
  void start_receiving();

  std::string received;  // datagrams concatenated
  std::vector<std::string> list;  // one entry per datagram
  int datagrams = 0;

 private:
  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::udp::endpoint from_;
  char buffer_[2048];
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Host port the device bound for a device port ("tcp" or "udp"), from Device::listeners(); 0 when absent.
std::uint16_t host_port(const nlohmann::json& listeners, std::uint16_t device_port, const std::string& proto);

}  // namespace simdev::wiz550s2e::test
