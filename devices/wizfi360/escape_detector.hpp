#pragma once
// Spots the WizFi360's `+++` escape (spec §1.12, decision 35): a packet of exactly three 0x2B, i.e. preceded by
// at least `guard` of RX silence and followed by at least `guard` of silence. Judged on the bytes' arrival
// times, so it holds in both wire and fast timing. A `+` that could start an escape is held back; when the
// attempt fails the held bytes are released as data, in order. Used by passthrough and by CIPSEND data entry.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "libsim/serial/serial_port.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::wizfi360 {

struct EscapeTiming {
  std::chrono::milliseconds guard{20};  // silence needed before and after the three `+`
  std::chrono::milliseconds settle{3};  // grace for bytes that arrived before the deadline but are delivered after it
  // Reads "escape_guard_ms" and "escape_settle_ms" of a config object (e.g. "passthrough"); missing keys keep
  // the defaults. Throws std::invalid_argument on a negative or non-integer value.
  static EscapeTiming from_json(const nlohmann::json& j);
};

class EscapeDetector {
 public:
  using TimePoint = serial::Clock::time_point;
  // When the byte at a pointer into the fed view finished arriving (Module::arrival_of).
  using ArrivalOf = std::function<TimePoint(const std::uint8_t*)>;
  struct Hooks {
    std::function<void(ByteView data, TimePoint last_arrival)> data;  // ordinary bytes, in order
    std::function<void()> escape;  // an escape was recognised; the detector has stopped itself
  };

  EscapeDetector(boost::asio::any_io_executor executor, EscapeTiming timing, Hooks hooks);
  ~EscapeDetector();
  EscapeDetector(const EscapeDetector&) = delete;
  EscapeDetector& operator=(const EscapeDetector&) = delete;

  // Starts watching; the silence before the first byte counts from `silence_since`.
  void start(TimePoint silence_since);
  // Stops watching and forgets held bytes without releasing them.
  void stop();
  bool running() const { return running_; }
  // Number of `+` currently held back.
  std::size_t holding() const { return held_; }

  // Examines `bytes` and returns how many it consumed: all of them, unless an escape was recognised on
  // arrival of a later byte, in which case the bytes from that one on are not consumed (they follow the
  // escape and are not data). Data hooks run before the escape hook.
  std::size_t feed(ByteView bytes, const ArrivalOf& arrival);

 private:
  void hold(TimePoint arrival);
  void release_held();
  void arm();
  void on_deadline();
  void recognised();

  EscapeTiming timing_;
  Hooks hooks_;
  boost::asio::steady_timer timer_;
  std::uint64_t generation_ = 0;
  bool running_ = false;
  std::size_t held_ = 0;
  TimePoint last_{};  // arrival of the last byte seen (or the start of the watch)
  // An expired deadline's handler may already be queued when the detector goes away.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simdev::wizfi360
