#include "libsim/mqtt/client.hpp"

#include <sys/socket.h>

#include <cerrno>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <mosquitto.h>

#include "libsim/mqtt/mosquitto_instance.hpp"
#include "libsim/net/host_resolve.hpp"
#include "libsim/net/virtual_network.hpp"

namespace simdev::mqtt {

class Client::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(Client* owner, net::VirtualNetwork& network, ClientOptions options)
      : owner_(owner), network_(network), options_(std::move(options)),
        misc_timer_(network.executor()), connect_timer_(network.executor()) {}

  ~Impl() { drop_mosquitto(); }

  // --- requests from the owner -------------------------------------------------------------------------

  void connect(const net::HostPort& broker) {
    ApiScope scope(*this);
    reset_session();
    broker_ = broker;
    state_ = State::connecting;
    connect_reported_ = false;
    const auto attempt = ++attempt_;
    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([self = shared_from_this(), attempt](boost::system::error_code ec) {
      if (!ec && self->attempt_ == attempt && self->state_ == State::connecting) self->fail_connect(kTimedOut, "timed out");
    });
    host_ = network_.map_destination(broker);
    resolving_ = net::resolve_on_host(network_.executor(), host_.host,
                                      [self = shared_from_this(), attempt](const boost::system::error_code& ec,
                                                                           const std::vector<boost::asio::ip::address>& a) {
                                        if (self->attempt_ != attempt || self->state_ != State::connecting) return;
                                        if (ec) return self->fail_connect(kResolveFailed, ec.message());
                                        self->start_mosquitto(a.front().to_string());
                                      });
  }

  void reconnect() {
    if (!broker_.host.empty()) connect(broker_);
  }

  void disconnect() {
    ApiScope scope(*this);
    if (state_ == State::connected && mosq_) {
      state_ = State::disconnecting;
      call([&] { return mosquitto_disconnect(mosq_.get()); });
      if (state_ == State::disconnecting) arm_write();  // DISCONNECT still queued
      return;
    }
    reset_session();  // connecting: abandon silently
  }

  void abort() {
    ApiScope scope(*this);
    reset_session();
  }

  int publish(const std::string& topic, ByteView payload, int qos, bool retain) {
    ApiScope scope(*this);
    if (!mosq_ || state_ != State::connected) return -MOSQ_ERR_NO_CONN;
    int mid = 0;
    const int rc = call([&] {
      return mosquitto_publish(mosq_.get(), &mid, topic.c_str(), static_cast<int>(payload.size()), payload.data(), qos,
                               retain);
    });
    arm_write();
    return rc == MOSQ_ERR_SUCCESS ? mid : -rc;
  }

  int subscribe(const std::string& topic, int qos) {
    ApiScope scope(*this);
    if (!mosq_ || state_ != State::connected) return -MOSQ_ERR_NO_CONN;
    int mid = 0;
    const int rc = call([&] { return mosquitto_subscribe(mosq_.get(), &mid, topic.c_str(), qos); });
    arm_write();
    return rc == MOSQ_ERR_SUCCESS ? mid : -rc;
  }

  int unsubscribe(const std::string& topic) {
    ApiScope scope(*this);
    if (!mosq_ || state_ != State::connected) return -MOSQ_ERR_NO_CONN;
    int mid = 0;
    const int rc = call([&] { return mosquitto_unsubscribe(mosq_.get(), &mid, topic.c_str()); });
    arm_write();
    return rc == MOSQ_ERR_SUCCESS ? mid : -rc;
  }

  // The owner is going away: silence everything.
  void detach_owner() {
    owner_ = nullptr;
    reset_session();
  }

  State state() const { return state_; }
  const ClientOptions& options() const { return options_; }
  void set_options(ClientOptions options) { options_ = std::move(options); }

  net::HostPort endpoint(bool local) const {
    if (fd_ < 0) return {};
    boost::asio::ip::tcp::endpoint ep;
    socklen_t length = static_cast<socklen_t>(ep.capacity());
    const int fd = fd_;
    const int rc = local ? getsockname(fd, ep.data(), &length) : getpeername(fd, ep.data(), &length);
    if (rc != 0) return {};
    ep.resize(length);
    return {ep.address().to_string(), ep.port()};
  }

  // --- libmosquitto callbacks --------------------------------------------------------------------------

  static void on_connect_cb(mosquitto*, void* userdata, int rc) {
    auto* self = static_cast<Impl*>(userdata);
    self->progress_ = true;
    if (self->state_ != State::connecting) return;
    self->connect_reported_ = true;
    self->connect_timer_.cancel();
    if (rc == 0) {
      self->state_ = State::connected;
      self->network_.trace_event("mqtt_connected", {{"broker", self->broker_.to_string()}});
    } else {
      self->network_.trace_event("mqtt_refused", {{"broker", self->broker_.to_string()}, {"rc", rc}});
      self->reset_session();
    }
    self->deliver([rc](Client& c) {
      if (auto cb = c.on_connect) cb(rc);
    });
  }

  static void on_disconnect_cb(mosquitto*, void* userdata, int rc) {
    static_cast<Impl*>(userdata)->session_lost(rc);
  }

  static void on_message_cb(mosquitto*, void* userdata, const mosquitto_message* message) {
    auto* self = static_cast<Impl*>(userdata);
    self->progress_ = true;
    if (!self->owner_ || !self->owner_->on_message) return;
    // libmosquitto frees the message after this call, so a deferred delivery needs its own copy.
    std::string topic = message->topic;
    Bytes payload(static_cast<const std::uint8_t*>(message->payload),
                  static_cast<const std::uint8_t*>(message->payload) + message->payloadlen);
    self->deliver([topic = std::move(topic), payload = std::move(payload), qos = message->qos,
                   retain = message->retain](Client& c) {
      if (auto cb = c.on_message) cb(topic, payload, qos, retain);
    });
  }

  static void on_subscribe_cb(mosquitto*, void* userdata, int mid, int count, const int* granted) {
    auto* self = static_cast<Impl*>(userdata);
    self->progress_ = true;
    std::vector<int> qos(granted, granted + count);
    self->deliver([mid, qos = std::move(qos)](Client& c) {
      if (auto cb = c.on_subscribe) cb(mid, qos);
    });
  }

  static void on_publish_cb(mosquitto*, void* userdata, int mid) {
    auto* self = static_cast<Impl*>(userdata);
    self->progress_ = true;
    self->deliver([mid](Client& c) {
      if (auto cb = c.on_publish) cb(mid);
    });
  }

 private:
  // Marks a call that came from the owner: callbacks fired inside it are posted, so the owner never sees a
  // callback re-enter its own call.
  struct ApiScope {
    explicit ApiScope(Impl& impl) : impl(impl) { ++impl.api_depth_; }
    ~ApiScope() { --impl.api_depth_; }
    Impl& impl;
  };

  template <class F>
  int call(F&& f) {
    ++mosq_depth_;
    const int rc = f();
    --mosq_depth_;
    return rc;
  }

  template <class F>
  void deliver(F&& f) {
    if (!owner_) return;
    if (api_depth_ > 0) {
      boost::asio::post(network_.executor(), [self = shared_from_this(), f = std::forward<F>(f)]() mutable {
        if (self->owner_) f(*self->owner_);
      });
      return;
    }
    f(*owner_);
  }

  void start_mosquitto(const std::string& ip) {
    try {
      mosq_ = make_mosquitto(options_, broker_.host, this);
    } catch (const std::invalid_argument& e) {
      return fail_connect(kInvalidOptions, e.what());
    }
    mosquitto_connect_callback_set(mosq_.get(), &Impl::on_connect_cb);
    mosquitto_disconnect_callback_set(mosq_.get(), &Impl::on_disconnect_cb);
    mosquitto_message_callback_set(mosq_.get(), &Impl::on_message_cb);
    mosquitto_subscribe_callback_set(mosq_.get(), &Impl::on_subscribe_cb);
    mosquitto_publish_callback_set(mosq_.get(), &Impl::on_publish_cb);

    const int rc = call([&] {
      return mosquitto_connect_async(mosq_.get(), ip.c_str(), host_.port, effective_keepalive(options_.keepalive_s));
    });
    if (state_ != State::connecting) return;
    if (rc != MOSQ_ERR_SUCCESS) return fail_connect(kTransportFailed, mosquitto_strerror(rc));
    attach();
  }

  // Wraps libmosquitto's socket for readiness waits. The fd stays libmosquitto's: detach() releases it.
  void attach() {
    const int fd = mosquitto_socket(mosq_.get());
    if (fd < 0) return fail_connect(kTransportFailed, "no socket");
    socket_.emplace(network_.executor(), fd);
    fd_ = fd;
    ++generation_;
    transport_up_ = false;
    read_armed_ = write_armed_ = false;
    arm_read();
    arm_write();
    start_misc_timer();
  }

  void detach() {
    if (socket_) {
      boost::system::error_code ignored;
      socket_->cancel(ignored);
      socket_->release();
      socket_.reset();
    }
    fd_ = -1;
    ++generation_;
    read_armed_ = write_armed_ = false;
    misc_timer_.cancel();
  }

  void arm_read() {
    if (!socket_ || read_armed_) return;
    read_armed_ = true;
    socket_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                        [self = shared_from_this(), generation = generation_](boost::system::error_code ec) {
                          if (self->generation_ != generation) return;
                          self->read_armed_ = false;
                          if (!ec) self->on_readable();
                        });
  }

  void arm_write() {
    if (!socket_ || write_armed_ || !mosq_ || !mosquitto_want_write(mosq_.get())) return;
    write_armed_ = true;
    socket_->async_wait(boost::asio::posix::stream_descriptor::wait_write,
                        [self = shared_from_this(), generation = generation_](boost::system::error_code ec) {
                          if (self->generation_ != generation) return;
                          self->write_armed_ = false;
                          if (!ec) self->on_writable();
                        });
  }

  // stack.md M3: libmosquitto can keep a dead TLS socket "readable" forever without reporting an error.
  bool socket_is_dead() const {
    const int fd = fd_;
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) return true;
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof peer;
    return getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0 && errno == ENOTCONN;
  }

  void on_readable() {
    if (socket_is_dead()) return session_lost(MOSQ_ERR_CONN_LOST);
    report_transport_up();
    if (++wakeups_ > options_.spin_guard_wakeups && !progress_) {
      network_.log().warn("mqtt: {} read wake-ups without progress; dropping the connection", wakeups_);
      return session_lost(MOSQ_ERR_CONN_LOST);
    }
    const auto generation = generation_;
    const int rc = call([&] { return mosquitto_loop_read(mosq_.get(), 1); });
    if (generation_ != generation) return;  // a callback ended the session
    if (rc != MOSQ_ERR_SUCCESS) return session_lost(rc);
    arm_read();
    arm_write();
  }

  void on_writable() {
    if (!transport_up_ && socket_is_dead()) return session_lost(MOSQ_ERR_CONN_REFUSED);
    report_transport_up();
    const auto generation = generation_;
    const int rc = call([&] { return mosquitto_loop_write(mosq_.get(), 1); });
    if (generation_ != generation) return;
    if (rc != MOSQ_ERR_SUCCESS) return session_lost(rc);
    arm_write();
  }

  void report_transport_up() {
    if (transport_up_) return;
    transport_up_ = true;
    deliver([](Client& c) {
      if (auto cb = c.on_transport_up) cb();
    });
  }

  void start_misc_timer() {
    misc_timer_.expires_after(options_.misc_interval);
    misc_timer_.async_wait([self = shared_from_this(), generation = generation_](boost::system::error_code ec) {
      if (ec || self->generation_ != generation) return;
      self->wakeups_ = 0;
      self->progress_ = false;
      const int rc = self->call([&] { return mosquitto_loop_misc(self->mosq_.get()); });
      if (self->generation_ != generation) return;
      if (rc != MOSQ_ERR_SUCCESS) return self->session_lost(rc);
      self->arm_write();
      self->start_misc_timer();
    });
  }

  // The connection ended (error, keepalive, broker close, or our DISCONNECT went out). Idempotent (M5).
  void session_lost(int rc) {
    if (state_ == State::idle) return;
    if (state_ == State::connecting) {
      if (connect_reported_) return reset_session();
      return fail_connect(kTransportFailed, mosquitto_strerror(rc));
    }
    const bool clean = state_ == State::disconnecting && rc == MOSQ_ERR_SUCCESS;
    network_.trace_event("mqtt_disconnected", {{"broker", broker_.to_string()}, {"rc", clean ? 0 : rc}});
    reset_session();
    const int reported = clean ? 0 : (rc == MOSQ_ERR_SUCCESS ? MOSQ_ERR_CONN_LOST : rc);
    deliver([reported](Client& c) {
      if (auto cb = c.on_disconnect) cb(reported);
    });
  }

  void fail_connect(int code, const std::string& why) {
    network_.trace_event("mqtt_connect_failed", {{"broker", broker_.to_string()}, {"rc", code}, {"error", why}});
    network_.log().info("mqtt connect to {} failed: {}", broker_.to_string(), why);
    reset_session();
    deliver([code](Client& c) {
      if (c.on_connect) c.on_connect(code);
    });
  }

  void reset_session() {
    state_ = State::idle;
    ++attempt_;
    connect_timer_.cancel();
    if (resolving_) resolving_->cancel();
    detach();
    drop_mosquitto();
  }

  // mosquitto_destroy must not run while libmosquitto is on the stack (we may be inside one of its callbacks).
  void drop_mosquitto() {
    if (!mosq_) return;
    if (mosq_depth_ == 0) {
      mosq_.reset();
      return;
    }
    std::shared_ptr<mosquitto> later(mosq_.release(), MosquittoDeleter{});
    boost::asio::post(network_.executor(), [later] {});
  }

  Client* owner_;
  net::VirtualNetwork& network_;
  ClientOptions options_;
  net::HostPort broker_;
  net::HostPort host_;
  State state_ = State::idle;
  bool connect_reported_ = false;
  MosquittoPtr mosq_;
  std::optional<boost::asio::posix::stream_descriptor> socket_;
  int fd_ = -1;
  boost::asio::steady_timer misc_timer_;
  boost::asio::steady_timer connect_timer_;
  std::unique_ptr<net::PendingConnect> resolving_;
  std::uint64_t attempt_ = 0;
  std::uint64_t generation_ = 0;
  bool read_armed_ = false;
  bool write_armed_ = false;
  bool transport_up_ = false;
  int wakeups_ = 0;
  bool progress_ = false;
  int api_depth_ = 0;
  int mosq_depth_ = 0;
};

Client::Client(net::VirtualNetwork& network, ClientOptions options)
    : impl_(std::make_shared<Impl>(this, network, std::move(options))) {}

Client::~Client() { impl_->detach_owner(); }

void Client::connect(const net::HostPort& broker) { impl_->connect(broker); }
void Client::reconnect() { impl_->reconnect(); }
void Client::disconnect() { impl_->disconnect(); }
void Client::abort() { impl_->abort(); }
int Client::publish(const std::string& topic, ByteView payload, int qos, bool retain) {
  return impl_->publish(topic, payload, qos, retain);
}
int Client::subscribe(const std::string& topic, int qos) { return impl_->subscribe(topic, qos); }
int Client::unsubscribe(const std::string& topic) { return impl_->unsubscribe(topic); }
State Client::state() const { return impl_->state(); }
const ClientOptions& Client::options() const { return impl_->options(); }
void Client::set_options(ClientOptions options) { impl_->set_options(std::move(options)); }
net::HostPort Client::local() const { return impl_->endpoint(true); }
net::HostPort Client::remote() const { return impl_->endpoint(false); }

}  // namespace simdev::mqtt
