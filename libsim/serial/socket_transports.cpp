#include "libsim/serial/socket_transports.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include "libsim/serial/socket_server_transport.hpp"

namespace simdev::serial {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using unix_stream = asio::local::stream_protocol;

class TcpTransport final : public SocketServerTransport<tcp> {
 public:
  TcpTransport(const asio::any_io_executor& ex, std::string host, tcp::endpoint ep)
      : SocketServerTransport(ex, ep), host_(std::move(host)) {}
  ~TcpTransport() override { close(); }

  void open() override {
    if (opened_) return;
    listen_on(endpoint_, true);
    endpoint_ = acceptor_.local_endpoint();
  }
  void close() override { stop_listening(); }
  nlohmann::json describe() const override {
    return {{"type", "tcp"}, {"host", host_}, {"port", endpoint_.port()}};
  }

 protected:
  std::string describe_endpoint() const override {
    return "tcp:" + host_ + ":" + std::to_string(endpoint_.port());
  }
  void on_client_connected(tcp::socket& socket) override {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // serial bytes are tiny and latency-sensitive
  }

 private:
  std::string host_;
};

// True when something accepts connections on the unix socket at `path`.
bool unix_socket_is_live(const asio::any_io_executor& ex, const std::string& path) {
  unix_stream::socket probe(ex);
  boost::system::error_code ec;
  probe.connect(unix_stream::endpoint(path), ec);  // local connect completes or fails at once
  return !ec;
}

class UnixTransport final : public SocketServerTransport<unix_stream> {
 public:
  UnixTransport(const asio::any_io_executor& ex, std::string path)
      : SocketServerTransport(ex, unix_stream::endpoint(path)), path_(std::move(path)), ex_(ex) {}
  ~UnixTransport() override { close(); }

  void open() override {
    if (opened_) return;
    struct stat st {};
    if (::lstat(path_.c_str(), &st) == 0) {
      if (!S_ISSOCK(st.st_mode)) throw std::runtime_error("unix:" + path_ + ": exists and is not a socket");
      if (unix_socket_is_live(ex_, path_)) throw EndpointInUse("unix:" + path_ + ": address in use");
      ::unlink(path_.c_str());  // left behind by a process that is gone
    }
    // Restricted between bind and listen: nobody can connect before listen, so there is no open window.
    listen_on(endpoint_, false, [this] { ::chmod(path_.c_str(), 0600); });
  }
  void close() override {
    const bool was_open = opened_;
    stop_listening();
    if (was_open) ::unlink(path_.c_str());
  }
  nlohmann::json describe() const override { return {{"type", "unix"}, {"path", path_}}; }

 protected:
  std::string describe_endpoint() const override { return "unix:" + path_; }

 private:
  std::string path_;
  asio::any_io_executor ex_;
};

}  // namespace

std::unique_ptr<Transport> make_tcp_transport(const asio::any_io_executor& ex, const std::string& host,
                                              std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) throw std::invalid_argument("serial spec \"tcp:" + host + ":" + std::to_string(port) +
                                      "\": HOST must be an IP address or localhost");
  return std::make_unique<TcpTransport>(ex, host, tcp::endpoint(address, port));
}

std::unique_ptr<Transport> make_unix_transport(const asio::any_io_executor& ex, const std::string& path) {
  return std::make_unique<UnixTransport>(ex, path);
}

}  // namespace simdev::serial
