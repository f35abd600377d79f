#include "devices/wiz550s2e/data_mode.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

namespace simdev::wiz550s2e {
namespace {

constexpr std::size_t kSerialRing = 1024;              // RX and TX rings of the module
constexpr std::size_t kMaxNetworkChunk = 1024;         // network -> serial per pass
constexpr std::size_t kNetworkBacklogLimit = 64 * 1024;  // beyond this the host's serial input is paused
constexpr std::size_t kMaxQueuedDatagrams = 64;

const char* role_name(int role) {
  static constexpr const char* kNames[] = {"none",       "listening",     "authenticating", "connected_in",
                                           "connecting", "connected_out", "udp",            "mqtt"};
  return kNames[role];
}

// Destroys an object later: it may be the one whose callback is running.
template <typename T>
void destroy_later(const boost::asio::any_io_executor& ex, std::unique_ptr<T> object) {
  if (object) boost::asio::post(ex, [keep = std::shared_ptr<T>(std::move(object))] {});
}

}  // namespace

DataMode::DataMode(boost::asio::any_io_executor executor, net::VirtualNetwork* network, const DeviceConfig& config,
                   Hooks hooks)
    : executor_(executor),
      network_(network),
      config_(config),
      hooks_(std::move(hooks)),
      pack_timer_(executor),
      auth_timer_(executor),
      dial_timer_(executor),
      inactivity_timer_(executor) {}

DataMode::~DataMode() {
  *alive_ = false;
  stop();
}

void DataMode::start(const Settings& settings) {
  stop();
  settings_ = settings;
  running_ = true;
  packer_ = Packer(PackingRules{settings.packing_size, settings.packing_time, settings.packing_delimiter,
                                settings.packing_delimiter_length, settings.packing_data_appendix});
  udp_peer_port_ = settings.remote_port;
  dialled_once_ = false;
  idle_ticks_ = 0;
  if (!network_) return;
  switch (settings.working_mode) {
    case WorkingMode::server:
    case WorkingMode::mixed: listen(); break;
    case WorkingMode::client: dial(); break;
    case WorkingMode::udp: open_udp(); break;
    case WorkingMode::mqtt: open_mqtt(); break;
  }
  arm_inactivity_timer();
}

void DataMode::stop() {
  running_ = false;
  role_ = Role::none;
  pack_timer_.cancel();
  auth_timer_.cancel();
  dial_timer_.cancel();
  inactivity_timer_.cancel();
  destroy_later(executor_, std::move(pending_));
  if (stream_) stream_->close();
  stream_.reset();
  if (listener_) listener_->close();
  listener_.reset();
  if (udp_) udp_->close();
  udp_.reset();
  if (mqtt_) {
    mqtt_->disconnect();
    boost::asio::post(executor_, [keep = std::move(mqtt_)] {});
  }
  mqtt_up_ = false;
  ring_.clear();
  auth_buffer_.clear();
  udp_backlog_.clear();
  reading_ = read_paused_ = false;
  if (serial_paused_ && hooks_.pause_serial) hooks_.pause_serial(false);
  serial_paused_ = false;
}

bool DataMode::connected() const {
  return role_ == Role::connected_in || role_ == Role::connected_out || role_ == Role::authenticating ||
         (role_ == Role::mqtt && mqtt_up_);
}

void DataMode::set_status(Status s) {
  if (hooks_.status) hooks_.status(s);
}

// ---- TCP server / mixed listening ----------------------------------------------------------------------------

void DataMode::listen() {
  boost::system::error_code ec;
  net::ListenOptions options;
  options.max_connections = 1;
  listener_ = network_->listen_tcp(settings_.local_port, options, ec);
  if (ec || !listener_) {
    listener_.reset();
    role_ = Role::none;
    return;
  }
  role_ = Role::listening;
  std::weak_ptr<bool> alive = alive_;
  listener_->start_accepting([this, alive](const boost::system::error_code& aec, std::unique_ptr<net::ByteStream> s) {
    if (alive.expired() || aec || !s) return;
    on_accept(std::move(s));
  });
}

void DataMode::on_accept(std::unique_ptr<net::ByteStream> stream) {
  if (stream_ || role_ != Role::listening) {
    stream->close();
    return;
  }
  stream_ = std::move(stream);
  if (config_.quirks.inactivity_immediate_drop && settings_.inactivity > 0 && idle_ticks_ >= settings_.inactivity) {
    close_connection();  // the stale inactivity counter of the real firmware
    return;
  }
  idle_ticks_ = 0;
  note_traffic();  // the tick running at connect time is a partial one and does not count
  if (!settings_.pw_connect.empty()) {
    role_ = Role::authenticating;
    auth_buffer_.clear();
    arm_auth_timer();
  } else {
    role_ = Role::connected_in;
    set_status(Status::connected);
  }
  read_next();
  flush_serial(Clock::now());
}

// ---- TCP client / mixed dialling -----------------------------------------------------------------------------

void DataMode::dial() {
  if (listener_) listener_->close();
  listener_.reset();
  role_ = Role::connecting;
  auto interval = std::chrono::milliseconds(settings_.reconnection);
  auto now = Clock::now();
  if (dialled_once_ && now - last_dial_ < interval) {
    schedule_dial();
    return;
  }
  dialled_once_ = true;
  last_dial_ = now;
  net::ConnectOptions options;
  options.timeout = config_.timing.connect_timeout;
  options.local_port = settings_.local_port;
  std::weak_ptr<bool> alive = alive_;
  pending_ = network_->connect_tcp(
      net::HostPort{to_string(settings_.remote_ip), settings_.remote_port}, options,
      [this, alive](const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> s) {
        if (!alive.expired()) on_dialled(ec, std::move(s));
      });
}

void DataMode::schedule_dial() {
  role_ = Role::connecting;
  auto due = last_dial_ + std::chrono::milliseconds(settings_.reconnection);
  dial_timer_.expires_at(std::max(due, Clock::now()));
  std::weak_ptr<bool> alive = alive_;
  dial_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired() || !running_) return;
    dialled_once_ = false;  // the interval has passed
    dial();
  });
}

void DataMode::on_dialled(const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> stream) {
  destroy_later(executor_, std::move(pending_));
  if (ec || !stream) {
    if (settings_.working_mode == WorkingMode::mixed) {
      listen();
      if (!ring_.empty()) schedule_dial();
    } else {
      schedule_dial();
    }
    return;
  }
  stream_ = std::move(stream);
  role_ = Role::connected_out;
  idle_ticks_ = 0;
  note_traffic();
  set_status(Status::connected);
  read_next();
  flush_serial(Clock::now());
}

void DataMode::close_connection() {
  if (stream_) stream_->close();
  connection_ended();
}

void DataMode::connection_ended() {
  destroy_later(executor_, std::move(stream_));
  auth_timer_.cancel();
  auth_buffer_.clear();
  reading_ = read_paused_ = false;
  set_status(Status::disconnected);
  if (!running_) return;
  const Role was = role_;
  switch (settings_.working_mode) {
    case WorkingMode::server:
      ring_.clear();
      role_ = Role::listening;
      break;
    case WorkingMode::mixed:
      if (was == Role::connected_out) listen();
      else role_ = Role::listening;
      if (!ring_.empty() && role_ == Role::listening) dial();
      break;
    default:
      ring_.clear();
      schedule_dial();
      break;
  }
  if (serial_paused_ && hooks_.pause_serial) hooks_.pause_serial(false);
  serial_paused_ = false;
}

// ---- network -> serial -----------------------------------------------------------------------------------------

bool DataMode::serial_has_room(std::size_t n) const { return hooks_.serial_backlog() + n <= kSerialRing; }

void DataMode::read_next() {
  if (!stream_ || reading_) return;
  if (hooks_.serial_backlog() >= kSerialRing) {
    read_paused_ = true;
    return;
  }
  read_paused_ = false;
  reading_ = true;
  std::weak_ptr<bool> alive = alive_;
  stream_->async_read_some([this, alive](const boost::system::error_code& ec, ByteView data) {
    if (!alive.expired()) on_read(ec, data);
  });
}

void DataMode::on_read(const boost::system::error_code& ec, ByteView data) {
  reading_ = false;
  if (!data.empty()) {
    if (role_ == Role::authenticating) authenticate(data);
    else deliver(data);
  }
  if (!stream_) return;
  if (ec) {
    connection_ended();
    return;
  }
  read_next();
}

void DataMode::authenticate(ByteView data) {
  auth_buffer_.insert(auth_buffer_.end(), data.begin(), data.end());
  const std::string& pw = settings_.pw_connect;
  if (auth_buffer_.size() < pw.size()) {
    arm_auth_timer();  // more bytes arrived: the timeout starts over
    return;
  }
  auth_timer_.cancel();
  if (!std::equal(pw.begin(), pw.end(), auth_buffer_.begin())) {
    close_connection();
    return;
  }
  role_ = Role::connected_in;
  set_status(Status::connected);
  Bytes rest(auth_buffer_.begin() + static_cast<long>(pw.size()), auth_buffer_.end());
  auth_buffer_.clear();
  if (!rest.empty()) deliver(rest);
  flush_serial(Clock::now());
}

void DataMode::arm_auth_timer() {
  auth_timer_.expires_after(config_.timing.auth_timeout);
  std::weak_ptr<bool> alive = alive_;
  auth_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired() || role_ != Role::authenticating) return;
    close_connection();
  });
}

void DataMode::deliver(ByteView data) {
  hooks_.to_serial(data);
  note_traffic();
}

void DataMode::on_serial_drained() {
  if (read_paused_) read_next();
  while (!udp_backlog_.empty() && serial_has_room(udp_backlog_.front().size())) {
    deliver(udp_backlog_.front());
    udp_backlog_.pop_front();
  }
}

// ---- UDP -------------------------------------------------------------------------------------------------------

void DataMode::open_udp() {
  boost::system::error_code ec;
  udp_ = network_->open_udp(settings_.local_port, ec);
  if (ec || !udp_) {
    udp_.reset();
    return;
  }
  role_ = Role::udp;
  set_status(Status::udp);
  std::weak_ptr<bool> alive = alive_;
  udp_->start_receiving([this, alive](const boost::system::error_code& rec, const net::Datagram& d) {
    if (alive.expired() || rec) return;
    // Replies go to the configured IP at the port the last datagram came from (the IP is never learned).
    udp_peer_port_ = d.virtual_source.port;
    if (hooks_.learned_port) hooks_.learned_port(udp_peer_port_);
    if (serial_has_room(d.data.size()) && udp_backlog_.empty()) deliver(d.data);
    else if (udp_backlog_.size() < kMaxQueuedDatagrams) udp_backlog_.emplace_back(d.data.begin(), d.data.end());
  });
}

// ---- MQTT ------------------------------------------------------------------------------------------------------

void DataMode::open_mqtt() {
  mqtt::ClientOptions options;
  options.client_id = settings_.module_name;
  options.username = settings_.mqtt_user;
  options.password = settings_.mqtt_pw;
  options.always_send_credentials = true;  // spec §6: the firmware sets both flags, even for empty strings
  options.keepalive_s = static_cast<int>(config_.timing.mqtt_keepalive.count());
  options.connect_timeout = config_.timing.connect_timeout + config_.timing.mqtt_command_timeout;
  mqtt_ = std::make_shared<mqtt::Client>(*network_, std::move(options));
  role_ = Role::mqtt;
  std::weak_ptr<bool> alive = alive_;
  auto retry = [this, alive] {
    mqtt_up_ = false;
    set_status(Status::disconnected);
    ring_.clear();
    dial_timer_.expires_after(std::chrono::milliseconds(settings_.reconnection));
    dial_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
      if (ec || alive.expired() || !running_ || !mqtt_) return;
      mqtt_->reconnect();
    });
  };
  mqtt_->on_connect = [this, retry](int rc) {
    if (rc != 0) {
      retry();
      return;
    }
    mqtt_up_ = true;
    idle_ticks_ = 0;
    note_traffic();
    set_status(Status::connected);
    if (!settings_.mqtt_subscribe_topic.empty()) mqtt_->subscribe(settings_.mqtt_subscribe_topic, 0);
    flush_serial(Clock::now());
  };
  mqtt_->on_disconnect = [retry](int rc) {
    if (rc != 0) retry();
  };
  mqtt_->on_message = [this](const std::string&, ByteView payload, int, bool) {
    ByteView chunk = payload.subspan(0, std::min(payload.size(), kMaxNetworkChunk));
    if (serial_has_room(chunk.size())) deliver(chunk);  // dropped entirely when the TX ring lacks room
  };
  mqtt_->connect(net::HostPort{to_string(settings_.remote_ip), settings_.remote_port});
}

// ---- serial -> network -----------------------------------------------------------------------------------------

bool DataMode::may_send() const {
  return role_ == Role::connected_in || role_ == Role::connected_out || role_ == Role::udp ||
         (role_ == Role::mqtt && mqtt_up_);
}

void DataMode::on_serial(ByteView bytes, Clock::time_point arrival) {
  if (!running_) return;
  const bool keep = may_send() || role_ == Role::authenticating || settings_.working_mode == WorkingMode::mixed;
  if (!keep) return;  // no connection: the firmware discards bytes as they arrive
  if (passes_straight_through()) {
    send_through(bytes, arrival);
    return;
  }
  // A fast host delivers more than the ring holds at once; the real ring is drained every loop pass, so feed it
  // in ring-sized steps. What still does not fit (nothing can be sent) is lost, newest bytes first.
  while (!bytes.empty()) {
    std::size_t room = kSerialRing - ring_.size();
    if (room == 0) break;
    std::size_t n = std::min(room, bytes.size());
    ring_.insert(ring_.end(), bytes.begin(), bytes.begin() + static_cast<long>(n));
    bytes = bytes.subspan(n);
    pack_time_elapsed_ = false;
    if (settings_.working_mode == WorkingMode::mixed && role_ == Role::listening) dial();
    flush_serial(arrival);
  }
  arm_pack_timer();
}

// With no packing condition the ring empties in 1 KiB steps as fast as bytes arrive, and on a TCP stream
// those step boundaries are invisible to the peer; one write of the whole run saves a send per KiB.
bool DataMode::passes_straight_through() const {
  return stream_ && ring_.empty() && !packer_.rules().any() &&
         (role_ == Role::connected_in || role_ == Role::connected_out);
}

void DataMode::send_through(ByteView bytes, Clock::time_point arrival) {
  send_chunk(Bytes(bytes.begin(), bytes.end()));
  if (hooks_.drained) hooks_.drained(arrival);
  note_traffic();
}

void DataMode::flush_serial(Clock::time_point when) {
  while (may_send() && !ring_.empty()) {
    std::size_t n = packer_.ready_length(ring_, pack_time_elapsed_);
    if (n == 0) return;
    Bytes pending(ring_.begin(), ring_.begin() + static_cast<long>(n));
    ring_.erase(ring_.begin(), ring_.begin() + static_cast<long>(n));
    pack_time_elapsed_ = false;
    send_chunk(std::move(pending));
    if (hooks_.drained) hooks_.drained(when);
    note_traffic();
    arm_pack_timer();
  }
}

void DataMode::send_chunk(Bytes chunk) {
  if (udp_) {
    udp_->send_to(net::HostPort{to_string(settings_.remote_ip), udp_peer_port_}, std::move(chunk));
    return;
  }
  if (mqtt_) {
    mqtt_->publish(settings_.mqtt_publish_topic, chunk, 0, false);
    return;
  }
  if (!stream_) return;
  std::weak_ptr<bool> alive = alive_;
  stream_->async_write(std::move(chunk), [this, alive](const boost::system::error_code&, std::size_t) {
    if (!alive.expired()) check_network_backlog();
  });
  check_network_backlog();
}

void DataMode::check_network_backlog() {
  bool lagging = stream_ && stream_->write_backlog() > kNetworkBacklogLimit;
  if (lagging != serial_paused_ && hooks_.pause_serial) {
    serial_paused_ = lagging;
    hooks_.pause_serial(lagging);
  }
}

void DataMode::arm_pack_timer() {
  if (settings_.packing_time == 0 || ring_.empty()) return;
  pack_timer_.expires_after(std::chrono::milliseconds(settings_.packing_time));
  std::weak_ptr<bool> alive = alive_;
  pack_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired() || ring_.empty()) return;
    pack_time_elapsed_ = true;
    flush_serial(Clock::now());
  });
}

// ---- inactivity ------------------------------------------------------------------------------------------------

void DataMode::note_traffic() { ++traffic_; }

void DataMode::arm_inactivity_timer() {
  if (settings_.inactivity == 0 || settings_.working_mode == WorkingMode::udp) return;
  inactivity_timer_.expires_after(config_.timing.inactivity_tick);
  std::weak_ptr<bool> alive = alive_;
  inactivity_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired() || !running_) return;
    bool linked = role_ == Role::connected_in || role_ == Role::connected_out || (role_ == Role::mqtt && mqtt_up_);
    if (traffic_ != traffic_seen_) {
      traffic_seen_ = traffic_;
      idle_ticks_ = 0;
    } else if (linked || config_.quirks.inactivity_immediate_drop) {
      ++idle_ticks_;
    }
    if (linked && idle_ticks_ >= settings_.inactivity) {
      idle_ticks_ = 0;
      if (role_ == Role::mqtt) {
        mqtt_->disconnect();
        mqtt_up_ = false;
        set_status(Status::disconnected);
        dial_timer_.expires_after(std::chrono::milliseconds(settings_.reconnection));
        dial_timer_.async_wait([this, alive](const boost::system::error_code& e) {
          if (!e && !alive.expired() && running_ && mqtt_) mqtt_->reconnect();
        });
      } else {
        close_connection();
      }
    }
    arm_inactivity_timer();
  });
}

nlohmann::json DataMode::state() const {
  return {{"role", role_name(static_cast<int>(role_))},
          {"pending_serial_bytes", ring_.size()},
          {"udp_peer_port", udp_peer_port_},
          {"running", running_}};
}

}  // namespace simdev::wiz550s2e
