#include <array>
#include <deque>

#include <boost/asio/ip/udp.hpp>

#include "libsim/net/host_resolve.hpp"
#include "libsim/net/socket_util.hpp"
#include "libsim/net/tcp_listener_impl.hpp"

namespace simdev::net {
namespace {

using boost::asio::ip::udp;

class UdpCore : public std::enable_shared_from_this<UdpCore> {
 public:
  UdpCore(VirtualNetwork& network, std::uint16_t device_port)
      : network_(network), device_port_(device_port), socket_(network.executor()) {}

  void open(boost::system::error_code& ec) {
    const auto address = boost::asio::ip::make_address(network_.config().listen_host, ec);
    if (ec) return;
    const udp::endpoint endpoint(address, network_.config().host_port_for(device_port_));
    socket_.open(endpoint.protocol(), ec);
    if (!ec) socket_.bind(endpoint, ec);
    if (ec) {
      boost::system::error_code ignored;
      socket_.close(ignored);
      network_.trace_event("udp_open", {{"device_port", device_port_}, {"host", to_host_port(endpoint).to_string()},
                                        {"ok", false}, {"error", ec.message()}});
      return;
    }
    host_port_ = to_host_port(socket_.local_endpoint(ec));
    v4_ = endpoint.address().is_v4();
    registration_ = network_.register_endpoint({device_port_, host_port_, "udp"});
    network_.trace_event("udp_open", {{"device_port", device_port_}, {"host", host_port_.to_string()}, {"ok", true}});
  }

  void start(UdpSocket::ReceiveHandler handler) {
    if (!open_) return;
    const bool running = static_cast<bool>(receive_handler_);
    receive_handler_ = std::move(handler);
    if (!running) receive_next();
  }

  void send(const HostPort& virtual_destination, Bytes data, UdpSocket::SendHandler handler) {
    if (!open_) return;
    queue_.push_back({network_.map_destination(virtual_destination), std::move(data), std::move(handler)});
    if (queue_.size() == 1) send_front();
  }

  void close() {
    if (!open_) return;
    open_ = false;
    receive_handler_ = nullptr;
    queue_.clear();
    if (resolving_) resolving_->cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
    network_.unregister_endpoint(registration_);
    network_.trace_event("udp_close", {{"device_port", device_port_}, {"host", host_port_.to_string()}});
  }

  bool is_open() const { return open_; }
  std::uint16_t device_port() const { return device_port_; }
  const HostPort& host_port() const { return host_port_; }

 private:
  struct PendingSend {
    HostPort destination;  // already mapped
    Bytes data;
    UdpSocket::SendHandler handler;
  };

  void receive_next() {
    socket_.async_receive_from(boost::asio::buffer(buffer_), source_,
                               [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                                 if (!self->open_) return;
                                 const HostPort host_source = to_host_port(self->source_);
                                 Datagram datagram{host_source,
                                                   self->network_.config().address_map.reverse(host_source).value_or(host_source),
                                                   ByteView(self->buffer_.data(), ec ? 0 : n)};
                                 if (auto handler = self->receive_handler_) handler(ec, datagram);  // copy: it may close us
                                 if (self->open_) self->receive_next();
                               });
  }

  void send_front() {
    resolving_ = resolve_on_host(network_.executor(), queue_.front().destination.host,
                                 [self = shared_from_this()](const boost::system::error_code& ec,
                                                             const std::vector<boost::asio::ip::address>& addresses) {
                                   if (!self->open_) return;
                                   if (ec) return self->complete(ec, 0);
                                   // Prefer an address of the socket's own family.
                                   auto address = addresses.front();
                                   for (const auto& a : addresses) {
                                     if (a.is_v4() == self->v4_) {
                                       address = a;
                                       break;
                                     }
                                   }
                                   const udp::endpoint endpoint(address, self->queue_.front().destination.port);
                                   self->socket_.async_send_to(boost::asio::buffer(self->queue_.front().data), endpoint,
                                                               [self](boost::system::error_code ec, std::size_t n) {
                                                                 if (self->open_) self->complete(ec, n);
                                                               });
                                 });
  }

  void complete(const boost::system::error_code& ec, std::size_t sent) {
    auto done = std::move(queue_.front());
    queue_.pop_front();
    network_.trace_event("udp_send", {{"device_port", device_port_}, {"to", done.destination.to_string()},
                                      {"bytes", done.data.size()}, {"ok", !ec}});
    if (!queue_.empty()) send_front();
    if (done.handler) done.handler(ec, sent);
  }

  VirtualNetwork& network_;
  std::uint16_t device_port_;
  udp::socket socket_;
  HostPort host_port_;
  bool v4_ = true;
  std::uint64_t registration_ = 0;
  bool open_ = true;
  std::array<std::uint8_t, 65536> buffer_{};
  udp::endpoint source_;
  UdpSocket::ReceiveHandler receive_handler_;
  std::deque<PendingSend> queue_;
  std::unique_ptr<PendingConnect> resolving_;
};

class Udp final : public UdpSocket {
 public:
  explicit Udp(std::shared_ptr<UdpCore> core) : core_(std::move(core)) {}
  ~Udp() override { core_->close(); }

  void start_receiving(ReceiveHandler handler) override { core_->start(std::move(handler)); }
  void send_to(const HostPort& destination, Bytes data, SendHandler handler) override {
    core_->send(destination, std::move(data), std::move(handler));
  }
  void close() override { core_->close(); }
  bool is_open() const override { return core_->is_open(); }
  std::uint16_t device_port() const override { return core_->device_port(); }
  HostPort host_port() const override { return core_->host_port(); }

 private:
  std::shared_ptr<UdpCore> core_;
};

}  // namespace

std::unique_ptr<UdpSocket> open_udp_socket(VirtualNetwork& network, std::uint16_t device_port,
                                           boost::system::error_code& ec) {
  auto core = std::make_shared<UdpCore>(network, device_port);
  core->open(ec);
  if (ec) return nullptr;
  return std::make_unique<Udp>(std::move(core));
}

}  // namespace simdev::net
