#pragma once
// The WizFi360's transparent (passthrough) session on link 0 (spec §1.12, decisions 34 and 35): serial bytes
// are cut into packets (idle time or size) and sent to the peer; the peer's bytes go to the serial port raw; a
// `+++` packet ends the session; a lost TCP link is re-opened until then.
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "devices/wizfi360/escape_detector.hpp"
#include "libsim/net/host_port.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::wizfi360 {

class Module;

// The "passthrough" object of the device configuration.
struct PassthroughConfig {
  std::chrono::milliseconds packet_idle{20};  // a packet is sent once the serial side was idle this long
  std::size_t packet_size = 2048;             // ... or once it holds this many bytes
  EscapeTiming escape;                        // "escape_guard_ms", "escape_settle_ms"
  std::chrono::milliseconds deaf{1000};       // input ignored after `+++` (manual: at least 1 s)
  std::chrono::milliseconds reconnect_interval{1000};  // link lost: next connect attempt after this
  // Manual §2.4 note 1: leaving passthrough closes the link (and prints CLOSED). ESP keeps it open: false.
  bool close_on_exit = true;
  std::chrono::milliseconds translink_poll{50};  // SAVETRANSLINK at boot: how often to check for an IP
  std::size_t max_backlog = 256 * 1024;  // serial RX pauses while more than this waits for the socket
  // Throws std::invalid_argument naming the field on a bad value.
  static PassthroughConfig from_json(const nlohmann::json& passthrough);
};

// AT+CIPMODE is 1 (CIPMUX=1 must then be refused with `IPMODE must be 0`, §2.3).
bool passthrough_mode(const Module& m);

class PassthroughSession : public std::enable_shared_from_this<PassthroughSession> {
 public:
  // `ended` runs once the session is over (after `+++`); the owner drops the session from there.
  PassthroughSession(Module& m, const PassthroughConfig& config, std::function<void()> ended);
  ~PassthroughSession();
  PassthroughSession(const PassthroughSession&) = delete;
  PassthroughSession& operator=(const PassthroughSession&) = delete;

  // Takes over the serial input and link 0 (which must be open). `destination`/`keepalive_s`: what to
  // reconnect to when a TCP link is lost.
  void start(const net::HostPort& destination, int keepalive_s);

 private:
  void on_data(ByteView data, serial::Clock::time_point last_arrival);
  void flush_packet();
  void send_due(std::size_t due);
  void send_packet(Bytes packet);
  void send_next_datagram();
  void update_rx_pause();
  void on_escape();
  void on_link_lost();
  void reconnect();
  void stop_everything();

  Module& m_;
  PassthroughConfig config_;
  std::function<void()> ended_;
  EscapeDetector detector_;
  boost::asio::steady_timer idle_timer_;
  boost::asio::steady_timer reconnect_timer_;
  net::HostPort destination_;
  int keepalive_s_ = 0;
  Bytes pending_;                 // bytes of the packet being collected
  std::size_t unsent_bytes_ = 0;  // handed to the link, completion not seen yet
  std::deque<Bytes> datagrams_;   // UDP packets waiting for the one in flight
  bool datagram_in_flight_ = false;
  bool rx_paused_ = false;
  bool connecting_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simdev::wizfi360
