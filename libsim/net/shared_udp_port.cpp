#include "libsim/net/shared_udp_port.hpp"

#include <array>
#include <vector>

#include <boost/asio/ip/udp.hpp>

#include "libsim/net/socket_util.hpp"

namespace simdev::net {

using boost::asio::ip::udp;

class SharedUdpPorts::Port : public std::enable_shared_from_this<Port> {
 public:
  Port(const boost::asio::any_io_executor& executor, std::shared_ptr<spdlog::logger> log)
      : socket_(executor), log_(std::move(log)) {}

  void open(const HostPort& bind, boost::system::error_code& ec) {
    const auto address = boost::asio::ip::make_address(bind.host, ec);
    if (ec) return;
    const udp::endpoint endpoint(address, bind.port);
    socket_.open(endpoint.protocol(), ec);
    if (!ec) socket_.bind(endpoint, ec);
    if (ec) {
      boost::system::error_code ignored;
      socket_.close(ignored);
      return;
    }
    bound_ = to_host_port(socket_.local_endpoint(ec));
    receive_next();
  }

  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  std::uint64_t add(Handler handler) {
    const auto id = next_id_++;
    subscribers_.emplace(id, std::make_shared<Handler>(std::move(handler)));
    return id;
  }
  void remove(std::uint64_t id) { subscribers_.erase(id); }

  void send(const HostPort& destination, Bytes data) {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(destination.host, ec);
    if (ec) {
      log_->warn("shared udp {}: cannot send to {}: {}", bound_.to_string(), destination.to_string(), ec.message());
      return;
    }
    auto buffer = std::make_shared<Bytes>(std::move(data));
    socket_.async_send_to(boost::asio::buffer(*buffer), udp::endpoint(address, destination.port),
                          [self = shared_from_this(), buffer](const boost::system::error_code& error, std::size_t) {
                            if (error && error != boost::asio::error::operation_aborted)
                              self->log_->debug("shared udp {}: send failed: {}", self->bound_.to_string(), error.message());
                          });
  }

  const HostPort& bound() const { return bound_; }

 private:
  void receive_next() {
    socket_.async_receive_from(boost::asio::buffer(buffer_), source_,
                               [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                                 if (ec == boost::asio::error::operation_aborted || !self->socket_.is_open()) return;
                                 if (!ec) self->offer(ByteView(self->buffer_.data(), n));
                                 self->receive_next();
                               });
  }

  // Handlers may subscribe or unsubscribe while the datagram is offered: iterate over a snapshot and skip
  // whoever left meanwhile.
  void offer(ByteView data) {
    const HostPort source = to_host_port(source_);
    std::vector<std::pair<std::uint64_t, std::weak_ptr<Handler>>> snapshot;
    for (const auto& [id, handler] : subscribers_) snapshot.emplace_back(id, handler);
    for (const auto& [id, weak] : snapshot) {
      if (!subscribers_.contains(id)) continue;
      if (auto handler = weak.lock()) (*handler)(source, data);
    }
  }

  udp::socket socket_;
  std::shared_ptr<spdlog::logger> log_;
  HostPort bound_;
  std::array<std::uint8_t, 2048> buffer_{};
  udp::endpoint source_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::shared_ptr<Handler>> subscribers_;
};

namespace {

class SubscriptionImpl final : public SharedUdpPorts::Subscription {
 public:
  SubscriptionImpl(std::shared_ptr<SharedUdpPorts::Port> port, std::uint64_t id) : port_(std::move(port)), id_(id) {}
  ~SubscriptionImpl() override { port_->remove(id_); }

  void send_to(const HostPort& destination, Bytes data) override { port_->send(destination, std::move(data)); }
  HostPort bound() const override { return port_->bound(); }

 private:
  std::shared_ptr<SharedUdpPorts::Port> port_;
  std::uint64_t id_;
};

}  // namespace

SharedUdpPorts::SharedUdpPorts(boost::asio::any_io_executor executor, std::shared_ptr<spdlog::logger> log)
    : executor_(std::move(executor)), log_(std::move(log)) {}

SharedUdpPorts::~SharedUdpPorts() {
  for (auto& [key, port] : ports_) port->close();
}

std::unique_ptr<SharedUdpPorts::Subscription> SharedUdpPorts::subscribe(const HostPort& bind, Handler handler,
                                                                        boost::system::error_code& ec) {
  ec.clear();
  const std::string key = bind.to_string();
  auto found = ports_.find(key);
  if (found == ports_.end()) {
    auto port = std::make_shared<Port>(executor_, log_);
    port->open(bind, ec);
    if (ec) return nullptr;
    log_->debug("shared udp port {} bound to {}", key, port->bound().to_string());
    found = ports_.emplace(key, std::move(port)).first;
  }
  const auto id = found->second->add(std::move(handler));
  return std::make_unique<SubscriptionImpl>(found->second, id);
}

}  // namespace simdev::net
