#pragma once
// The module's SNTP client and clock (AT+CIPSNTPCFG, AT+CIPSNTPTIME?), RAM only.
//
// When it asks: whenever CIPSNTPCFG enables it (also when re-enabled with new servers), then every
// services.sntp_interval_ms, and on demand when CIPSNTPTIME? finds it enabled but not yet synchronised (that
// query still answers at once; a later one shows the time). A round asks the servers in order, one RFC 4330
// request over UDP to <server>:services.sntp_port through the address map, waiting services.sntp_timeout_ms
// for each; the first valid answer sets the clock, which then runs on the host's steady clock.
// Before any successful sync CIPSNTPTIME? answers `Thu Jan 01 00:00:00 1970` (the timezone is not applied to
// it). Disabling stops the periodic sync but keeps the clock running.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "devices/wizfi360/services.hpp"
#include "devices/wizfi360/sntp_packet.hpp"

namespace simdev::wizfi360 {

struct SntpSettings {
  bool enabled = false;
  long timezone = 0;
  std::vector<std::string> servers;
};

class SntpClock {
 public:
  SntpClock(Module& module, const ServicesConfig& config);
  ~SntpClock();

  // Power-up state: the configured defaults, not synchronised, nothing in flight.
  void reset();
  const SntpSettings& settings() const { return settings_; }
  // Applies a CIPSNTPCFG; enabling starts a round at once.
  void configure(SntpSettings settings);
  // The CIPSNTPTIME? text (24 characters).
  std::string time_text();
  bool synchronised() const { return sync_.has_value(); }

 private:
  struct SyncPoint {
    SystemTime server_time;
    std::chrono::steady_clock::time_point taken;
  };
  void start_round();
  void ask(std::size_t server);
  void round_over();
  void stop();

  Module& module_;
  const ServicesConfig& config_;
  SntpSettings settings_;
  std::optional<SyncPoint> sync_;
  bool asking_ = false;
  std::unique_ptr<net::UdpSocket> socket_;
  boost::asio::steady_timer timer_;  // one server's deadline, or the next periodic round
  std::shared_ptr<int> alive_;       // timer handlers of an older round (or a destroyed clock) see it expired
};

}  // namespace simdev::wizfi360
