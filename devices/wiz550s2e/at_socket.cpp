#include "devices/wiz550s2e/at_socket.hpp"

#include <algorithm>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include "devices/wiz550s2e/response.hpp"

namespace simdev::wiz550s2e {
namespace {

constexpr int kSocketId = 0;
constexpr std::size_t kChipBufferSize = 2048;  // W5500 TX/RX buffer per socket
constexpr std::size_t kMaxReceiveChunk = 1024;  // one [R,...] line carries at most this much
constexpr int kEventConnected = 0;
constexpr int kEventDisconnected = 1;
constexpr int kEventClosed = 2;
const Ip4 kLimitedBroadcast{255, 255, 255, 255};

Peer to_peer(const net::HostPort& hp) { return Peer{hp.host, hp.port}; }

}  // namespace

AtSocket::AtSocket(boost::asio::any_io_executor executor, net::VirtualNetwork* network, const DeviceConfig& config,
                   Hooks hooks)
    : executor_(executor),
      network_(network),
      config_(config),
      hooks_(std::move(hooks)),
      mqtt_command_timer_(executor) {}

AtSocket::~AtSocket() {
  *alive_ = false;
  release();
}

std::size_t AtSocket::tx_free() const {
  std::size_t used = stream_ ? stream_->write_backlog() : 0;
  return used >= kChipBufferSize ? 0 : kChipBufferSize - used;
}

void AtSocket::reset_state() {
  kind_ = Kind::idle;
  local_port_ = 0;
  connecting_ = closing_ = address_refused_ = false;
  mqtt_transport_up_ = false;
  reading_ = read_paused_ = false;
  peer_.reset();
  udp_peer_.reset();
}

void AtSocket::release() {
  pending_.reset();
  finish_mqtt_command(false);
  if (mqtt_) {
    mqtt_->disconnect();
    // Destroyed later: release() may run inside one of the client's callbacks.
    boost::asio::post(executor_, [client = std::shared_ptr<mqtt::Client>(std::move(mqtt_))] {});
  }
  if (stream_) stream_->close();
  stream_.reset();
  if (listener_) listener_->close();
  listener_.reset();
  if (udp_) udp_->close();
  udp_.reset();
  reset_state();
}

std::string AtSocket::open_server(std::uint16_t port) {
  if (!network_) return failure(ErrorCode::unspecified);
  boost::system::error_code ec;
  net::ListenOptions options;
  options.max_connections = 1;  // the chip serves one peer; later SYNs are turned away
  listener_ = network_->listen_tcp(port, options, ec);
  if (ec || !listener_) {
    listener_.reset();
    return failure(ErrorCode::unspecified);
  }
  kind_ = Kind::server;
  local_port_ = port;
  std::weak_ptr<bool> alive = alive_;
  listener_->start_accepting([this, alive](const boost::system::error_code& aec, std::unique_ptr<net::ByteStream> s) {
    if (alive.expired() || aec || !s) return;
    on_accept(std::move(s));
  });
  return ok({"0"});
}

void AtSocket::on_accept(std::unique_ptr<net::ByteStream> stream) {
  if (stream_) {  // already serving a peer
    stream->close();
    return;
  }
  stream_ = std::move(stream);
  peer_ = to_peer(stream_->virtual_remote());
  hooks_.output(event(kSocketId, kEventConnected));
  read_next();
}

std::string AtSocket::open_client(std::uint16_t local_port, const Ip4& ip, std::uint16_t port) {
  kind_ = Kind::client;
  local_port_ = local_port;
  peer_ = Peer{to_string(ip), port};
  if (ip == kLimitedBroadcast || !network_) {
    address_refused_ = true;
    return failure(ErrorCode::wrong_address);
  }
  connecting_ = true;
  net::ConnectOptions options;
  options.timeout = config_.timing.connect_timeout;
  options.local_port = local_port;
  pending_ = network_->connect_tcp(net::HostPort{peer_->ip, port}, options,
                                   [this](const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> s) {
                                     on_connected(ec, std::move(s));
                                   });
  return success('W', kSocketId);
}

void AtSocket::on_connected(const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> stream) {
  connecting_ = false;
  if (ec || !stream) {
    bool refused = ec != boost::asio::error::timed_out;
    if (refused && config_.quirks.no_result_on_refused_connect) {
      connecting_ = true;  // the real module never reports and the slot stays busy
      return;
    }
    // Keep pending_ alive until we return: its handler is running.
    auto keep = std::move(pending_);
    reset_state();
    hooks_.output(failure(ErrorCode::timeout, kSocketId));
    boost::asio::post(executor_, [keep = std::shared_ptr<net::PendingConnect>(std::move(keep))] {});
    return;
  }
  auto keep = std::shared_ptr<net::PendingConnect>(std::move(pending_));
  boost::asio::post(executor_, [keep] {});
  stream_ = std::move(stream);
  hooks_.output(success('S', kSocketId));
  read_next();
}

void AtSocket::read_next() {
  if (!stream_ || reading_) return;
  if (hooks_.serial_has_room && !hooks_.serial_has_room()) {
    read_paused_ = true;
    return;
  }
  read_paused_ = false;
  reading_ = true;
  stream_->async_read_some([this](const boost::system::error_code& ec, ByteView data) { on_read(ec, data); });
}

void AtSocket::resume_reading() {
  if (read_paused_) read_next();
}

void AtSocket::on_read(const boost::system::error_code& ec, ByteView data) {
  reading_ = false;
  if (!data.empty()) emit_received(data, {});
  if (ec) {
    on_peer_gone();
    return;
  }
  read_next();
}

void AtSocket::emit_received(ByteView data, const std::vector<std::string>& extra) {
  for (std::size_t off = 0; off < data.size(); off += kMaxReceiveChunk) {
    std::size_t n = std::min(kMaxReceiveChunk, data.size() - off);
    Fields fields{std::to_string(n)};
    fields.insert(fields.end(), extra.begin(), extra.end());
    std::string line = success('R', kSocketId, fields);
    line.append(reinterpret_cast<const char*>(data.data() + off), n);
    line += "\r\n";
    hooks_.output(line);
  }
}

void AtSocket::on_peer_gone() {
  if (stream_) stream_->close();
  stream_.reset();
  if (kind_ == Kind::server) {
    peer_.reset();
    hooks_.output(event(kSocketId, kEventDisconnected));  // the listener keeps listening on the same port
    return;
  }
  reset_state();
  hooks_.output(event(kSocketId, kEventClosed));
}

std::string AtSocket::open_udp(std::uint16_t local_port, std::optional<Peer> peer) {
  if (!network_) return failure(ErrorCode::unspecified);
  boost::system::error_code ec;
  udp_ = network_->open_udp(local_port, ec);
  if (ec || !udp_) {
    udp_.reset();
    return failure(ErrorCode::unspecified);
  }
  kind_ = Kind::udp;
  local_port_ = local_port;
  udp_peer_ = std::move(peer);
  std::weak_ptr<bool> alive = alive_;
  udp_->start_receiving([this, alive](const boost::system::error_code& rec, const net::Datagram& d) {
    if (alive.expired() || rec) return;
    on_datagram(d);
  });
  return ok({"0"});
}

void AtSocket::on_datagram(const net::Datagram& d) {
  emit_received(d.data, {d.virtual_source.host, std::to_string(d.virtual_source.port)});
}

std::string AtSocket::close() {
  if (mqtt_) mqtt_->disconnect();
  if (kind_ == Kind::udp) {
    release();
    return ok();
  }
  closing_ = true;
  pending_.reset();
  if (stream_) stream_->close();
  stream_.reset();
  if (listener_) listener_->close();
  listener_.reset();
  std::weak_ptr<bool> alive = alive_;
  boost::asio::post(executor_, [this, alive] {
    if (alive.expired() || !closing_) return;
    reset_state();
    hooks_.output(success('S', kSocketId));
  });
  return success('W', kSocketId);
}

void AtSocket::send(Bytes data, std::optional<Peer> udp_destination) {
  std::weak_ptr<bool> alive = alive_;
  if (kind_ == Kind::udp && udp_ && udp_destination) {
    auto ip = parse_ip(udp_destination->ip);
    if (ip && *ip == kLimitedBroadcast) {
      hooks_.output(failure(ErrorCode::wrong_address));
      return;
    }
    udp_->send_to(net::HostPort{udp_destination->ip, udp_destination->port}, std::move(data),
                  [this, alive](const boost::system::error_code& ec, std::size_t) {
                    if (alive.expired()) return;
                    hooks_.output(ec ? failure(ErrorCode::wrong_address) : success('S', kSocketId));
                  });
    return;
  }
  if (!stream_) {
    hooks_.output(failure(ErrorCode::not_connected));
    return;
  }
  // The chip accepts the data into its buffer at once; a failure shows up later as a disconnect.
  stream_->async_write(std::move(data));
  hooks_.output(success('S', kSocketId));
}

std::string AtSocket::describe() const {
  std::string out;
  for (const auto& f : describe_fields()) {
    if (!out.empty()) out += ',';
    out += f;
  }
  return kind_ == Kind::idle ? std::string() : "0," + out;
}

std::vector<std::string> AtSocket::describe_fields() const {
  switch (kind_) {
    case Kind::idle: return {"I"};
    case Kind::server:
      if (peer_) return {"S", std::to_string(local_port_), peer_->ip, std::to_string(peer_->port)};
      return {"S", std::to_string(local_port_)};
    case Kind::client:
      if (stream_ && peer_) return {"C", std::to_string(local_port_), peer_->ip, std::to_string(peer_->port)};
      return {"C", std::to_string(local_port_)};
    case Kind::mqtt:
      if (mqtt_transport_up_ && peer_)
        return {"Q", std::to_string(local_port_), peer_->ip, std::to_string(peer_->port)};
      return {"C", std::to_string(local_port_)};
    case Kind::udp:
      if (udp_peer_) return {"U", std::to_string(local_port_), udp_peer_->ip, std::to_string(udp_peer_->port)};
      return {"U", std::to_string(local_port_)};
  }
  return {"I"};
}

std::string AtSocket::open_mqtt(mqtt::ClientOptions options, std::uint16_t local_port, const Ip4& ip,
                                std::uint16_t port) {
  kind_ = Kind::mqtt;
  local_port_ = local_port;
  peer_ = Peer{to_string(ip), port};
  if (ip == kLimitedBroadcast || !network_) {
    address_refused_ = true;
    return failure(ErrorCode::wrong_address);
  }
  connecting_ = true;
  options.connect_timeout = config_.timing.connect_timeout + config_.timing.mqtt_command_timeout;
  options.keepalive_s = static_cast<int>(config_.timing.mqtt_keepalive.count());
  mqtt_ = std::make_unique<mqtt::Client>(*network_, std::move(options));
  mqtt_->on_transport_up = [this] {
    connecting_ = false;
    mqtt_transport_up_ = true;
    hooks_.output(success('S', kSocketId));
    if (hooks_.hold_input) hooks_.hold_input(true);
  };
  mqtt_->on_connect = [this](int rc) { on_mqtt_connect(rc); };
  mqtt_->on_disconnect = [this](int rc) {
    if (rc != 0) on_mqtt_lost();
  };
  mqtt_->on_message = [this](const std::string&, ByteView payload, int, bool) {
    emit_received(payload.subspan(0, std::min(payload.size(), kMaxReceiveChunk)), {});
  };
  mqtt_->on_subscribe = [this](int mid, const std::vector<int>& granted) {
    if (mid == mqtt_pending_mid_) finish_mqtt_command(!granted.empty() && granted[0] < 128);
  };
  mqtt_->connect(net::HostPort{peer_->ip, port});
  return success('W', kSocketId);
}

void AtSocket::on_mqtt_connect(int rc) {
  if (mqtt_transport_up_ && hooks_.hold_input) hooks_.hold_input(false);
  if (rc >= 0) return;  // CONNACK results are not reported; the session counts as running regardless
  if (mqtt_transport_up_) {
    on_mqtt_lost();
    return;
  }
  release();
  hooks_.output(failure(ErrorCode::timeout, kSocketId));
}

void AtSocket::on_mqtt_lost() {
  release();
  hooks_.output(event(kSocketId, kEventClosed));
}

void AtSocket::publish(const std::string& topic, Bytes payload) {
  int rc = mqtt_ ? mqtt_->publish(topic, payload, 0, false) : -1;
  hooks_.output(rc > 0 ? success('S', kSocketId) : failure(ErrorCode::not_connected));
}

void AtSocket::subscribe(bool subscribe, const std::string& topic, std::function<void(bool)> done) {
  if (!mqtt_) {
    done(false);
    return;
  }
  int mid = subscribe ? mqtt_->subscribe(topic, 0) : mqtt_->unsubscribe(topic);
  if (mid <= 0) {
    done(false);
    return;
  }
  if (!subscribe) {  // UNSUBACK is not surfaced by the client; the request went out
    done(true);
    return;
  }
  mqtt_pending_mid_ = mid;
  mqtt_command_done_ = std::move(done);
  mqtt_command_timer_.expires_after(config_.timing.mqtt_command_timeout);
  std::weak_ptr<bool> alive = alive_;
  mqtt_command_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (!ec && !alive.expired()) finish_mqtt_command(false);
  });
}

void AtSocket::finish_mqtt_command(bool accepted) {
  mqtt_command_timer_.cancel();
  mqtt_pending_mid_ = 0;
  if (auto done = std::exchange(mqtt_command_done_, nullptr)) done(accepted);
}

}  // namespace simdev::wiz550s2e
