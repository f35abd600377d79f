#include "libsim/net/tcp_listener_impl.hpp"

#include <boost/asio/ip/tcp.hpp>

#include "libsim/net/stream_core.hpp"

namespace simdev::net {
namespace {

using boost::asio::ip::tcp;

class ListenerCore : public std::enable_shared_from_this<ListenerCore> {
 public:
  ListenerCore(VirtualNetwork& network, std::uint16_t device_port, const ListenOptions& options)
      : network_(network), device_port_(device_port), max_connections_(options.max_connections),
        acceptor_(network.executor()) {}

  void open(int backlog, boost::system::error_code& ec) {
    const auto address = boost::asio::ip::make_address(network_.config().listen_host, ec);
    if (ec) return;
    const tcp::endpoint endpoint(address, network_.config().host_port_for(device_port_));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(backlog, ec);
    if (ec) {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      network_.trace_event("tcp_listen", {{"device_port", device_port_}, {"host", to_host_port(endpoint).to_string()},
                                          {"ok", false}, {"error", ec.message()}});
      return;
    }
    host_port_ = to_host_port(acceptor_.local_endpoint(ec));
    registration_ = network_.register_endpoint({device_port_, host_port_, "tcp"});
    network_.trace_event("tcp_listen", {{"device_port", device_port_}, {"host", host_port_.to_string()}, {"ok", true}});
  }

  void start(TcpListener::AcceptHandler handler) {
    if (!open_) return;
    const bool running = static_cast<bool>(handler_);
    handler_ = std::move(handler);
    if (!running) accept_next();
  }

  void close() {
    if (!open_) return;
    open_ = false;
    handler_ = nullptr;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    network_.unregister_endpoint(registration_);
    network_.trace_event("tcp_listen_close", {{"device_port", device_port_}, {"host", host_port_.to_string()}});
  }

  bool is_open() const { return open_; }
  std::uint16_t device_port() const { return device_port_; }
  const HostPort& host_port() const { return host_port_; }
  std::size_t open_connections() const { return *active_; }
  std::size_t rejected() const { return rejected_; }
  void set_max_connections(std::size_t max) { max_connections_ = max; }

 private:
  void accept_next() {
    acceptor_.async_accept([self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
      if (!self->open_) return;
      self->accepted(ec, std::move(socket));
      if (self->open_) self->accept_next();
    });
  }

  void accepted(const boost::system::error_code& ec, tcp::socket socket) {
    // A copy, because the handler may close the listener (which drops handler_) while it runs.
    auto handler = handler_;
    if (ec) {
      if (handler) handler(ec, nullptr);
      return;
    }
    boost::system::error_code ignored;
    const HostPort peer = to_host_port(socket.remote_endpoint(ignored));
    if (max_connections_ != 0 && *active_ >= max_connections_) {
      ++rejected_;
      socket.close(ignored);
      network_.trace_event("tcp_accept_rejected", {{"device_port", device_port_}, {"peer", peer.to_string()}});
      return;
    }
    socket.set_option(tcp::no_delay(true), ignored);
    const HostPort virtual_peer = network_.config().address_map.reverse(peer).value_or(peer);
    ++*active_;
    network_.trace_event("tcp_accept", {{"device_port", device_port_}, {"peer", peer.to_string()},
                                        {"virtual_peer", virtual_peer.to_string()}});
    auto on_closed = [active = active_, network = &network_, device_port = device_port_, peer] {
      --*active;
      network->trace_event("tcp_close", {{"device_port", device_port}, {"peer", peer.to_string()}});
    };
    auto stream = make_byte_stream(std::move(socket), virtual_peer, nullptr, std::move(on_closed));
    if (handler) handler({}, std::move(stream));
  }

  VirtualNetwork& network_;
  std::uint16_t device_port_;
  std::size_t max_connections_;
  tcp::acceptor acceptor_;
  HostPort host_port_;
  std::uint64_t registration_ = 0;
  bool open_ = true;
  TcpListener::AcceptHandler handler_;
  std::shared_ptr<std::size_t> active_ = std::make_shared<std::size_t>(0);
  std::size_t rejected_ = 0;
};

class Listener final : public TcpListener {
 public:
  explicit Listener(std::shared_ptr<ListenerCore> core) : core_(std::move(core)) {}
  ~Listener() override { core_->close(); }

  void start_accepting(AcceptHandler handler) override { core_->start(std::move(handler)); }
  void set_max_connections(std::size_t max) override { core_->set_max_connections(max); }
  std::size_t open_connections() const override { return core_->open_connections(); }
  std::size_t rejected() const override { return core_->rejected(); }
  void close() override { core_->close(); }
  bool is_open() const override { return core_->is_open(); }
  std::uint16_t device_port() const override { return core_->device_port(); }
  HostPort host_port() const override { return core_->host_port(); }

 private:
  std::shared_ptr<ListenerCore> core_;
};

}  // namespace

std::unique_ptr<TcpListener> open_tcp_listener(VirtualNetwork& network, std::uint16_t device_port,
                                               const ListenOptions& options, boost::system::error_code& ec) {
  auto core = std::make_shared<ListenerCore>(network, device_port, options);
  core->open(options.backlog, ec);
  if (ec) return nullptr;
  return std::make_unique<Listener>(std::move(core));
}

}  // namespace simdev::net
