#include "devices/wizfi360/sntp_clock.hpp"

#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr const char* kEpochText = "Thu Jan 01 00:00:00 1970";

}  // namespace

SntpClock::SntpClock(Module& module, const ServicesConfig& config)
    : module_(module), config_(config), timer_(module.executor()) {
  reset();
}

SntpClock::~SntpClock() { stop(); }

void SntpClock::stop() {
  alive_ = std::make_shared<int>(0);
  timer_.cancel();
  socket_.reset();
  asking_ = false;
}

void SntpClock::reset() {
  stop();
  sync_.reset();
  settings_ = {config_.sntp_enabled, config_.sntp_timezone, config_.sntp_servers};
}

void SntpClock::configure(SntpSettings settings) {
  stop();
  settings_ = std::move(settings);
  if (settings_.enabled) start_round();
}

std::string SntpClock::time_text() {
  if (!sync_) {
    if (settings_.enabled && !asking_) start_round();
    return kEpochText;
  }
  const auto now = sync_->server_time + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                            std::chrono::steady_clock::now() - sync_->taken);
  return module_time_text(now, settings_.timezone);
}

void SntpClock::start_round() {
  stop();
  asking_ = true;
  ask(0);
}

void SntpClock::ask(std::size_t server) {
  socket_.reset();
  if (server >= settings_.servers.size() || !module_.network() || !station_online(module_)) return round_over();
  boost::system::error_code ec;
  socket_ = module_.network()->open_udp(0, ec);
  if (ec || !socket_) return ask(server + 1);
  const NtpTimestamp sent = to_ntp(std::chrono::system_clock::now());
  socket_->start_receiving([this, sent](const boost::system::error_code& rec, const net::Datagram& datagram) {
    if (rec) return;
    auto time = sntp_reply_time(datagram.data, sent);
    if (!time) return;  // not ours or not usable: keep waiting until the deadline
    sync_ = SyncPoint{*time, std::chrono::steady_clock::now()};
    round_over();
  });
  const auto request = sntp_request(sent);
  socket_->send_to({settings_.servers[server], config_.sntp_port}, Bytes(request.begin(), request.end()));
  timer_.expires_after(config_.sntp_timeout);
  timer_.async_wait([this, server, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& wec) {
    if (wec || alive.expired()) return;
    ask(server + 1);
  });
}

void SntpClock::round_over() {
  stop();  // also drops the socket (allowed from inside its own handler)
  if (!settings_.enabled) return;
  timer_.expires_after(config_.sntp_interval);
  timer_.async_wait([this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    start_round();
  });
}

}  // namespace simdev::wizfi360
