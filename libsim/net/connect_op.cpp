#include "libsim/net/connect_op.hpp"

#include <openssl/ssl.h>

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "libsim/net/host_resolve.hpp"
#include "libsim/net/stream_core.hpp"
#include "libsim/net/tls_context.hpp"

namespace simdev::net {
namespace {

using boost::asio::ip::tcp;
using TlsStream = boost::asio::ssl::stream<tcp::socket>;

class ConnectOp : public std::enable_shared_from_this<ConnectOp> {
 public:
  ConnectOp(VirtualNetwork& network, HostPort destination, ConnectOptions options, std::optional<TlsOptions> tls,
            VirtualNetwork::ConnectHandler handler)
      : network_(network),
        virtual_(std::move(destination)),
        host_(network.map_destination(virtual_)),
        options_(options),
        tls_options_(std::move(tls)),
        handler_(std::move(handler)),
        timer_(network.executor()),
        socket_(network.executor()) {}

  void start() {
    if (tls_options_) {
      try {
        tls_context_ = make_client_tls_context(*tls_options_, virtual_.host);
      } catch (const std::invalid_argument& e) {
        network_.log().warn("TLS connect to {}: {}", virtual_.to_string(), e.what());
        boost::asio::post(network_.executor(), [self = shared_from_this()] {
          self->finish(boost::asio::error::invalid_argument, nullptr);
        });
        return;
      }
    }
    timer_.expires_after(options_.timeout);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->finish(boost::asio::error::timed_out, nullptr);
    });
    resolving_ = resolve_on_host(network_.executor(), host_.host,
                                 [self = shared_from_this()](const boost::system::error_code& ec,
                                                             const std::vector<boost::asio::ip::address>& addresses) {
                                   if (self->done_) return;
                                   if (ec) return self->finish(ec, nullptr);
                                   self->addresses_ = addresses;
                                   self->try_next();
                                 });
  }

  void cancel() {
    handler_ = nullptr;
    finish(boost::asio::error::operation_aborted, nullptr);
  }

 private:
  void try_next() {
    if (next_ >= addresses_.size()) return finish(last_error_, nullptr);
    const tcp::endpoint endpoint(addresses_[next_++], host_.port);
    boost::system::error_code ec;
    socket_ = tcp::socket(network_.executor());
    socket_.open(endpoint.protocol(), ec);
    if (ec) return fail_and_continue(ec);
    if (options_.local_port != 0) bind_local_port(endpoint.protocol());
    socket_.async_connect(endpoint, [self = shared_from_this()](boost::system::error_code ec) {
      if (self->done_) return;
      if (ec) return self->fail_and_continue(ec);
      self->connected();
    });
  }

  void bind_local_port(const tcp& protocol) {
    boost::system::error_code ec;
    socket_.set_option(tcp::socket::reuse_address(true), ec);
    const auto any = protocol == tcp::v4() ? tcp::endpoint(tcp::v4(), options_.local_port)
                                           : tcp::endpoint(tcp::v6(), options_.local_port);
    socket_.bind(any, ec);
    if (ec) {
      network_.log().info("local port {} unavailable ({}); using an ephemeral one", options_.local_port, ec.message());
      socket_.close(ec);
      socket_ = tcp::socket(network_.executor());
      socket_.open(protocol, ec);
    }
  }

  void fail_and_continue(const boost::system::error_code& ec) {
    last_error_ = ec;
    boost::system::error_code ignored;
    socket_.close(ignored);
    try_next();
  }

  void connected() {
    boost::system::error_code ec;
    set_keepalive(socket_, options_.keepalive_s, ec);
    if (ec) network_.log().warn("keepalive on {}: {}", host_.to_string(), ec.message());
    socket_.set_option(tcp::no_delay(true), ec);
    if (!tls_context_) return finish({}, make_byte_stream(std::move(socket_), virtual_, nullptr, closed_hook()));

    tls_stream_ = std::make_unique<TlsStream>(std::move(socket_), *tls_context_);
    const std::string sni = !tls_options_->sni.empty() ? tls_options_->sni
                            : is_ip_literal(virtual_.host) ? std::string()
                                                           : virtual_.host;
    if (!sni.empty()) SSL_set_tlsext_host_name(tls_stream_->native_handle(), sni.c_str());
    tls_stream_->async_handshake(boost::asio::ssl::stream_base::client,
                                 [self = shared_from_this()](boost::system::error_code ec) {
                                   if (self->done_) return;
                                   if (ec) return self->finish(ec, nullptr);
                                   auto stream = make_byte_stream(std::move(*self->tls_stream_), self->virtual_,
                                                                  self->tls_context_, self->closed_hook());
                                   self->tls_stream_.reset();
                                   self->finish({}, std::move(stream));
                                 });
  }

  std::function<void()> closed_hook() {
    return [network = &network_, fields = trace_fields()] { network->trace_event("tcp_close", fields); };
  }

  nlohmann::json trace_fields() const {
    nlohmann::json fields{{"virtual", virtual_.to_string()}, {"host", host_.to_string()}, {"tls", tls_options_.has_value()}};
    boost::system::error_code ec;
    if (tls_stream_) {
      fields["local"] = to_host_port(tls_stream_->lowest_layer().local_endpoint(ec)).to_string();
    } else if (socket_.is_open()) {
      fields["local"] = to_host_port(socket_.local_endpoint(ec)).to_string();
    }
    return fields;
  }

  void finish(const boost::system::error_code& ec, std::unique_ptr<ByteStream> stream) {
    if (done_) return;
    done_ = true;
    timer_.cancel();
    if (resolving_) resolving_->cancel();
    boost::system::error_code ignored;
    if (tls_stream_) tls_stream_->lowest_layer().close(ignored);
    socket_.close(ignored);
    auto fields = trace_fields();
    if (stream) fields["local"] = stream->local().to_string();
    fields["ok"] = !ec;
    if (ec) fields["error"] = ec.message();
    if (ec != boost::asio::error::operation_aborted) network_.trace_event("tcp_connect", fields);
    if (auto handler = std::move(handler_)) handler(ec, std::move(stream));
  }

  VirtualNetwork& network_;
  HostPort virtual_;
  HostPort host_;
  ConnectOptions options_;
  std::optional<TlsOptions> tls_options_;
  VirtualNetwork::ConnectHandler handler_;
  boost::asio::steady_timer timer_;
  std::unique_ptr<PendingConnect> resolving_;
  std::vector<boost::asio::ip::address> addresses_;
  std::size_t next_ = 0;
  boost::system::error_code last_error_ = boost::asio::error::host_not_found;
  tcp::socket socket_;
  std::shared_ptr<boost::asio::ssl::context> tls_context_;
  std::unique_ptr<TlsStream> tls_stream_;
  bool done_ = false;
};

class ConnectHandle final : public PendingConnect {
 public:
  explicit ConnectHandle(std::shared_ptr<ConnectOp> op) : op_(std::move(op)) {}
  ~ConnectHandle() override { cancel(); }
  void cancel() override { op_->cancel(); }

 private:
  std::shared_ptr<ConnectOp> op_;
};

}  // namespace

std::unique_ptr<PendingConnect> start_connect(VirtualNetwork& network, const HostPort& virtual_destination,
                                              const ConnectOptions& options, const std::optional<TlsOptions>& tls,
                                              VirtualNetwork::ConnectHandler handler) {
  auto op = std::make_shared<ConnectOp>(network, virtual_destination, options, tls, std::move(handler));
  op->start();
  return std::make_unique<ConnectHandle>(std::move(op));
}

}  // namespace simdev::net
