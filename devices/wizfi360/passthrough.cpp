#include "devices/wizfi360/passthrough.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr int kLink = 0;  // passthrough always uses link 0 (single-connection mode)

using serial::Clock;

template <class T>
T read_number(const nlohmann::json& j, const char* key, T fallback, long long min) {
  if (!j.is_object() || !j.contains(key)) return fallback;
  const auto& v = j.at(key);
  if (!v.is_number_integer() || v.get<long long>() < min)
    throw std::invalid_argument(std::string("wizfi360 config: passthrough.") + key + " must be an integer >= " +
                                std::to_string(min));
  return static_cast<T>(v.get<long long>());
}

std::chrono::milliseconds read_ms(const nlohmann::json& j, const char* key, std::chrono::milliseconds fallback) {
  return std::chrono::milliseconds(read_number<long long>(j, key, fallback.count(), 0));
}

}  // namespace

PassthroughConfig PassthroughConfig::from_json(const nlohmann::json& j) {
  PassthroughConfig c;
  if (j.is_null()) return c;
  if (!j.is_object()) throw std::invalid_argument("wizfi360 config: passthrough must be an object");
  c.packet_idle = read_ms(j, "packet_idle_ms", c.packet_idle);
  c.packet_size = read_number<std::size_t>(j, "packet_size", c.packet_size, 1);
  c.escape = EscapeTiming::from_json(j);
  c.deaf = read_ms(j, "deaf_ms", c.deaf);
  c.reconnect_interval = read_ms(j, "reconnect_interval_ms", c.reconnect_interval);
  if (j.contains("close_on_exit")) {
    if (!j.at("close_on_exit").is_boolean())
      throw std::invalid_argument("wizfi360 config: passthrough.close_on_exit must be true or false");
    c.close_on_exit = j.at("close_on_exit").get<bool>();
  }
  c.translink_poll = read_ms(j, "translink_poll_ms", c.translink_poll);
  if (c.translink_poll.count() == 0) c.translink_poll = std::chrono::milliseconds(1);
  c.max_backlog = read_number<std::size_t>(j, "max_backlog_bytes", c.max_backlog, 1);
  return c;
}

PassthroughSession::PassthroughSession(Module& m, const PassthroughConfig& config, std::function<void()> ended)
    : m_(m),
      config_(config),
      ended_(std::move(ended)),
      detector_(m.executor(), config.escape,
                {.data = [this](ByteView data, Clock::time_point last) { on_data(data, last); },
                 .escape = [this] { on_escape(); }}),
      idle_timer_(m.executor()),
      reconnect_timer_(m.executor()) {}

PassthroughSession::~PassthroughSession() {
  detector_.stop();
  idle_timer_.cancel();
  reconnect_timer_.cancel();
  if (rx_paused_) m_.context().serial->set_rx_paused(false);
}

void PassthroughSession::start(const net::HostPort& destination, int keepalive_s) {
  destination_ = destination;
  keepalive_s_ = keepalive_s;
  Links& links = m_.links();
  links.set_receiver([this](int id, ByteView data) {
    if (id == kLink) m_.send(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
  });
  links.set_close_observer([this](int id) {
    if (id == kLink) on_link_lost();
  });
  links.set_quiet(true);  // the line carries the peer's bytes only: link loss and reconnects print nothing
  std::weak_ptr<PassthroughSession> weak = weak_from_this();
  m_.set_raw_input([weak, &m = m_](ByteView bytes) -> std::size_t {
    auto self = weak.lock();
    if (!self) return bytes.size();
    return self->detector_.feed(bytes, [&m](const std::uint8_t* p) { return m.arrival_of(p); });
  });
  detector_.start(Clock::now());
}

// ---------------------------------------------------------------- serial -> network

void PassthroughSession::on_data(ByteView data, Clock::time_point last_arrival) {
  pending_.insert(pending_.end(), data.begin(), data.end());
  const std::size_t size = config_.packet_size;
  const bool idle_cut = config_.packet_idle.count() == 0;
  send_due(idle_cut ? pending_.size() : pending_.size() - pending_.size() % size);
  if (pending_.empty()) return;
  idle_timer_.expires_at(last_arrival + config_.packet_idle);
  std::weak_ptr<bool> alive = alive_;
  idle_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    flush_packet();
  });
}

void PassthroughSession::flush_packet() { send_due(pending_.size()); }

// Sends the first `due` pending bytes: UDP as datagrams of at most packet_size, TCP (a byte stream on the wire,
// where packet boundaries are invisible) in one write.
void PassthroughSession::send_due(std::size_t due) {
  if (due == 0) return;
  Bytes out;
  if (due == pending_.size()) {
    out.swap(pending_);
  } else {
    out.assign(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(due));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(due));
  }
  if (!m_.links().at(kLink).udp) return send_packet(std::move(out));
  for (std::size_t offset = 0; offset < out.size(); offset += config_.packet_size) {
    const std::size_t n = std::min(config_.packet_size, out.size() - offset);
    send_packet(Bytes(out.begin() + static_cast<std::ptrdiff_t>(offset),
                      out.begin() + static_cast<std::ptrdiff_t>(offset + n)));
  }
}

void PassthroughSession::send_packet(Bytes packet) {
  Links& links = m_.links();
  Link& link = links.at(kLink);
  if (!link.open() || connecting_) return;  // the link is down: the module has nowhere to send it
  const std::size_t size = packet.size();
  unsent_bytes_ += size;
  if (link.udp) {
    datagrams_.push_back(std::move(packet));
    send_next_datagram();
  } else {
    std::weak_ptr<bool> alive = alive_;
    links.write(kLink, std::move(packet), [this, alive, size](bool) {
      if (alive.expired()) return;
      unsent_bytes_ -= std::min(unsent_bytes_, size);
      update_rx_pause();
    });
  }
  update_rx_pause();
}

// UDP: one datagram in flight at a time (the link has a single completion slot).
void PassthroughSession::send_next_datagram() {
  if (datagram_in_flight_ || datagrams_.empty()) return;
  Bytes packet = std::move(datagrams_.front());
  datagrams_.pop_front();
  const std::size_t size = packet.size();
  datagram_in_flight_ = true;
  std::weak_ptr<bool> alive = alive_;
  m_.links().send(kLink, std::move(packet), [this, alive, size](bool) {
    if (alive.expired()) return;
    datagram_in_flight_ = false;
    unsent_bytes_ -= std::min(unsent_bytes_, size);
    send_next_datagram();
    update_rx_pause();
  });
}

// The serial side stops being read while the socket lags, so a fast host cannot grow our queue without bound.
void PassthroughSession::update_rx_pause() {
  const bool pause = unsent_bytes_ > config_.max_backlog;
  if (pause == rx_paused_) return;
  rx_paused_ = pause;
  m_.context().serial->set_rx_paused(pause);
}

// ---------------------------------------------------------------- leaving

void PassthroughSession::on_escape() {
  flush_packet();
  stop_everything();
  Links& links = m_.links();
  if (config_.close_on_exit && links.at(kLink).open()) links.close(kLink);
  if (config_.deaf.count() > 0) {
    const Clock::time_point deadline = Clock::now() + config_.deaf;
    m_.set_raw_input([&m = m_, deadline](ByteView bytes) -> std::size_t {
      std::size_t i = 0;
      while (i < bytes.size() && m.arrival_of(&bytes[i]) < deadline) ++i;
      if (i < bytes.size()) m.set_raw_input(nullptr);  // deaf time over: the rest are commands again
      return i;
    });
  } else {
    m_.set_raw_input(nullptr);
  }
  ended_();
}

void PassthroughSession::stop_everything() {
  detector_.stop();
  idle_timer_.cancel();
  reconnect_timer_.cancel();
  Links& links = m_.links();
  links.set_receiver(nullptr);
  links.set_close_observer(nullptr);
  links.set_quiet(false);
  if (connecting_) links.cancel_connect();
  connecting_ = false;
  datagrams_.clear();
  unsent_bytes_ = 0;
  update_rx_pause();
}

// ---------------------------------------------------------------- link loss

void PassthroughSession::on_link_lost() {
  pending_.clear();
  unsent_bytes_ = 0;
  update_rx_pause();
  reconnect_timer_.expires_after(config_.reconnect_interval);
  std::weak_ptr<bool> alive = alive_;
  reconnect_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    reconnect();
  });
}

void PassthroughSession::reconnect() {
  connecting_ = true;
  std::weak_ptr<bool> alive = alive_;
  m_.links().connect_tcp(kLink, destination_, keepalive_s_, [this, alive] {
    if (alive.expired()) return;
    connecting_ = false;
    if (!m_.links().at(kLink).open()) on_link_lost();
  });
}

}  // namespace simdev::wizfi360
