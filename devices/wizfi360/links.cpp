#include "devices/wizfi360/links.hpp"

#include <boost/asio/error.hpp>

#include "devices/wizfi360/module.hpp"
#include "libsim/at/args.hpp"

namespace simdev::wizfi360 {

LinkTiming LinkTiming::from_json(const nlohmann::json& tcpip) {
  LinkTiming t;
  if (!tcpip.is_object()) return t;
  t.connect_timeout = std::chrono::milliseconds(tcpip.value("connect_timeout_ms", t.connect_timeout.count()));
  t.connect_fail_delay = std::chrono::milliseconds(tcpip.value("connect_fail_delay_ms", t.connect_fail_delay.count()));
  t.rx_pause_backlog = tcpip.value("rx_pause_backlog_bytes", t.rx_pause_backlog);
  t.cipsto_unit = std::chrono::milliseconds(tcpip.value("cipsto_unit_ms", t.cipsto_unit.count()));
  t.sendbuf_bytes = tcpip.value("sendbuf_bytes", t.sendbuf_bytes);
  t.sendbuf_queue = tcpip.value("sendbuf_queue", t.sendbuf_queue);
  t.send_escape = EscapeTiming::from_json(tcpip);
  return t;
}

Links::Links(Module& module, net::VirtualNetwork* network, LinkTiming timing)
    : module_(module), network_(network), timing_(timing) {
  if (auto* serial = module_.context().serial) serial->set_tx_drained_handler([this] { resume_reads(); });
}

Links::~Links() { reset(); }

void Links::reset() {
  pending_.reset();
  stop_server();
  server_settings_ = ServerSettings{};
  for (auto& timer : idle_timers_) timer.reset();
  for (auto& link : links_) {
    if (link.stream) link.stream->close();
    if (link.udp) link.udp->close();
    if (link.release) link.release();
    link = Link{};
  }
  for (auto& done : send_done_) done = nullptr;
  receiver_ = nullptr;
  close_observer_ = nullptr;
  quiet_ = false;
  mux_ = false;
  dinfo_ = false;
  ever_opened_ = false;
}

bool Links::any_open() const {
  for (const auto& link : links_)
    if (link.open()) return true;
  return false;
}

nlohmann::json Links::to_json() const {
  nlohmann::json open = nlohmann::json::array();
  for (int id = 0; id < kCount; ++id) {
    const Link& link = links_[static_cast<std::size_t>(id)];
    if (!link.open()) continue;
    open.push_back({{"id", id},
                    {"type", link.type},
                    {"remote", link.remote.to_string()},
                    {"local_port", link.local_port},
                    {"server", link.server},
                    {"keepalive_s", link.keepalive_s},
                    {"read_paused", link.read_paused}});
  }
  nlohmann::json server = {{"running", server_running()},
                           {"max_conn", server_settings_.max_conn},
                           {"timeout_s", server_settings_.timeout_s}};
  if (server_running()) server["port"] = server_port_;
  return {{"mux", mux_}, {"dinfo", dinfo_}, {"links", open}, {"server", server}, {"connect_attempts", connect_attempts_}};
}

std::string Links::reported_host(int id) const {
  const Link& link = at(id);
  const std::string& named = link.remote.host;
  if (at::parse_ipv4(named)) return named;
  if (network_) {
    if (auto virtual_ip = network_->config().address_map.virtual_ipv4(named)) return *virtual_ip;
  }
  if (link.stream) return link.stream->remote().host;
  if (network_) {
    if (auto target = network_->config().address_map.target_host(named); target && at::parse_ipv4(*target)) return *target;
  }
  return named;
}

std::string Links::prefix(int id) const { return mux_ ? std::to_string(id) + "," : ""; }

// Refused, unreachable and (for TLS) handshake failures all read `CONNECT FAIL`, reported after the configured
// delay (hardware retries); a name that does not resolve reads `DNS Fail`. A quiet link prints neither.
void Links::report_connect_failure(int id, bool dns, std::function<void()> done) {
  module_.after(TimerSlot::command, timing_.connect_fail_delay, [this, id, done = std::move(done), dns] {
    if (quiet_) {
      // a passthrough reconnect: nobody asked, nothing to answer
    } else if (dns) {
      module_.error("DNS Fail");
    } else {
      module_.send(prefix(id) + "CONNECT FAIL\r\n\r\nERROR\r\n");
    }
    done();
  });
}

// A connect (TCP or TLS) completed: the link takes the stream, CONNECT is printed, reads start.
void Links::install_connected(int id, std::string type, std::unique_ptr<net::ByteStream> stream,
                              const net::HostPort& destination, int keepalive_s) {
  Link& link = at(id);
  link = Link{};
  link.type = std::move(type);
  link.stream = std::move(stream);
  link.local_port = link.stream->local().port;
  link.remote = destination;
  link.keepalive_s = keepalive_s;
  ever_opened_ = true;
  if (!quiet_) module_.send(prefix(id) + "CONNECT\r\n\r\nOK\r\n");
  read_next(id);
}

void Links::connect_tcp(int id, const net::HostPort& destination, int keepalive_s, std::function<void()> done) {
  ++connect_attempts_;
  if (!network_) return report_connect_failure(id, false, std::move(done));
  net::ConnectOptions options;
  options.timeout = timing_.connect_timeout;
  options.keepalive_s = keepalive_s;
  pending_ = network_->connect_tcp(
      destination, options,
      [this, id, destination, keepalive_s, done](const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> s) {
        pending_.reset();
        if (ec || !s) return report_connect_failure(id, ec == boost::asio::error::host_not_found, done);
        install_connected(id, "TCP", std::move(s), destination, keepalive_s);
        done();
      });
}

void Links::cancel_connect() {
  pending_.reset();
  module_.cancel(TimerSlot::command);
}

void Links::close(int id) {
  drop(id);
  module_.send(prefix(id) + "CLOSED\r\n");
}

void Links::drop(int id) {
  idle_timers_[static_cast<std::size_t>(id)].reset();
  Link& link = at(id);
  if (link.stream) link.stream->close();
  if (link.udp) link.udp->close();
  auto release = std::move(link.release);
  link = Link{};
  if (release) release();
  if (auto done = std::move(send_done_[static_cast<std::size_t>(id)])) {
    send_done_[static_cast<std::size_t>(id)] = nullptr;
    done(false);
  }
}

bool Links::open_udp(int id, const net::HostPort& remote, std::uint16_t local_port, int mode) {
  if (!network_) return false;
  boost::system::error_code ec;
  auto socket = network_->open_udp(local_port, ec);
  if (ec || !socket) return false;
  Link& link = at(id);
  link = Link{};
  link.type = "UDP";
  link.udp = std::move(socket);
  link.udp_mode = mode;
  link.local_port = local_port != 0 ? local_port : link.udp->host_port().port;
  link.remote = remote;
  ever_opened_ = true;
  link.udp->start_receiving([this, id](const boost::system::error_code& error, const net::Datagram& d) {
    if (error) return;
    Link& l = at(id);
    bool may_change = l.udp_mode == 2 || (l.udp_mode == 1 && !l.peer_changed);
    if (may_change && !(d.virtual_source == l.remote)) {
      l.remote = d.virtual_source;
      l.peer_changed = true;
    }
    deliver(id, d.virtual_source, d.data);
  });
  module_.send(prefix(id) + "CONNECT\r\n\r\nOK\r\n");
  return true;
}

void Links::send(int id, Bytes payload, std::function<void(bool ok)> done) {
  Link& link = at(id);
  if (link.udp) return send_to(id, link.remote, std::move(payload), std::move(done));
  if (!link.stream) return done(false);
  touch(id);
  send_done_[static_cast<std::size_t>(id)] = std::move(done);
  link.stream->async_write(std::move(payload), [this, id](const boost::system::error_code& ec, std::size_t) {
    finish_send(id, !ec);
  });
}

void Links::send_to(int id, const net::HostPort& destination, Bytes payload, std::function<void(bool ok)> done) {
  Link& link = at(id);
  if (!link.udp) return done(false);
  send_done_[static_cast<std::size_t>(id)] = std::move(done);
  link.udp->send_to(destination, std::move(payload),
                    [this, id](const boost::system::error_code& ec, std::size_t) { finish_send(id, !ec); });
}

void Links::finish_send(int id, bool ok) {
  if (auto finish = std::move(send_done_[static_cast<std::size_t>(id)])) {
    send_done_[static_cast<std::size_t>(id)] = nullptr;
    finish(ok);
  }
}

void Links::write(int id, Bytes payload, std::function<void(bool ok)> done) {
  Link& link = at(id);
  if (!link.stream) return done(false);
  touch(id);
  link.stream->async_write(std::move(payload), [done = std::move(done)](const boost::system::error_code& ec, std::size_t) {
    done(!ec);
  });
}

bool Links::serial_backed_up() const {
  const auto* serial = module_.context().serial;
  return serial != nullptr && serial->tx_backlog() > timing_.rx_pause_backlog;
}

void Links::resume_reads() {
  for (int id = 0; id < kCount; ++id)
    if (at(id).read_paused) read_next(id);
}

void Links::read_next(int id) {
  Link& link = at(id);
  if (!link.stream) return;
  link.read_paused = serial_backed_up();
  if (link.read_paused) return;
  net::ByteStream* stream = link.stream.get();
  stream->async_read_some([this, id, stream](const boost::system::error_code& ec, ByteView data) {
    if (ec) return closed_by_itself(id);
    touch(id);
    deliver(id, stream->virtual_remote(), data);
    // The receiver may have closed the link, or closed it and opened another under the same id.
    if (at(id).stream.get() == stream) read_next(id);
  });
}

void Links::closed_by_itself(int id) {
  if (quiet_) {
    drop(id);
  } else {
    close(id);
  }
  if (close_observer_) close_observer_(id);
}

// ---------------------------------------------------------------- server

bool Links::start_server(std::uint16_t device_port, boost::system::error_code& ec) {
  stop_server();
  server_port_ = device_port;
  if (!network_) {
    server_without_network_ = true;  // in-memory tests: the commands work, nothing is bound
    return true;
  }
  listener_ = network_->listen_tcp(device_port, net::ListenOptions{}, ec);
  if (ec || !listener_) {
    listener_.reset();
    return false;
  }
  listener_->start_accepting([this](const boost::system::error_code& error, std::unique_ptr<net::ByteStream> stream) {
    if (!error && stream) accept(std::move(stream));
  });
  return true;
}

void Links::stop_server() {
  if (listener_) listener_->close();
  listener_.reset();
  server_without_network_ = false;
}

void Links::accept(std::unique_ptr<net::ByteStream> stream) {
  long serving = 0;
  int free_id = -1;
  for (int id = kCount - 1; id >= 0; --id) {
    if (at(id).open()) {
      serving += at(id).server ? 1 : 0;
    } else {
      free_id = id;
    }
  }
  if (free_id < 0 || serving >= server_settings_.max_conn) {
    stream->close();  // the module refuses what it cannot seat
    return;
  }
  Link& link = at(free_id);
  link = Link{};
  link.type = "TCP";
  link.server = true;
  link.remote = stream->virtual_remote();
  link.local_port = server_port_;
  link.stream = std::move(stream);
  ever_opened_ = true;
  module_.send(std::to_string(free_id) + ",CONNECT\r\n");
  touch(free_id);
  read_next(free_id);
}

void Links::touch(int id) {
  const Link& link = at(id);
  auto& timer = idle_timers_[static_cast<std::size_t>(id)];
  if (!link.server || server_settings_.timeout_s <= 0) {
    timer.reset();
    return;
  }
  if (!timer) timer = std::make_unique<boost::asio::steady_timer>(module_.executor());
  timer->expires_after(timing_.cipsto_unit * server_settings_.timeout_s);
  const net::ByteStream* stream = link.stream.get();
  timer->async_wait([this, id, stream](const boost::system::error_code& ec) {
    if (ec || at(id).stream.get() != stream) return;
    closed_by_itself(id);
  });
}

void Links::deliver(int id, const net::HostPort& peer, ByteView data) {
  if (receiver_) return receiver_(id, data);
  std::string source;
  if (dinfo_) source = "," + peer.host + "," + std::to_string(peer.port);
  for (std::size_t offset = 0; offset < data.size(); offset += kMaxChunk) {
    ByteView piece = data.subspan(offset, std::min(kMaxChunk, data.size() - offset));
    std::string header = "\r\n+IPD," + prefix(id) + std::to_string(piece.size()) + source + ":";
    module_.send(header);
    module_.send(std::string_view(reinterpret_cast<const char*>(piece.data()), piece.size()));
  }
}

}  // namespace simdev::wizfi360
