#pragma once
// The `+++` detector of data mode (spec §2), measured on the bytes' arrival times so it holds in both timing
// modes: guard before, gap between trigger bytes, guard after. Bytes under examination are held back and
// released unchanged when the attempt aborts.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "devices/wiz550s2e/device_config.hpp"
#include "libsim/serial/serial_port.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::wiz550s2e {

class TriggerDetector {
 public:
  using TimePoint = serial::Clock::time_point;
  struct Hooks {
    std::function<void(ByteView, TimePoint)> pass;  // ordinary data (including released held bytes), arrival time
    std::function<void()> triggered;     // guard after elapsed: enter AT mode
    std::function<void()> aborted;       // an attempt failed (after its bytes were passed on)
  };

  TriggerDetector(boost::asio::any_io_executor executor, const Timing& timing, Hooks hooks);

  // Enabled = "AT command use"; bytes = the configured trigger code. Resets the detector; `now` starts the
  // guard-before window.
  void start(bool enabled, std::array<std::uint8_t, 3> bytes, TimePoint now);
  void stop();
  // Data left the serial ring for the network: the ring's count changed, which restarts the guard before.
  void note_drain(TimePoint when);
  // Bytes passed on are batched; end_of_chunk() hands them over (call it after each RX chunk).
  void on_byte(std::uint8_t byte, TimePoint arrival);
  // Consumes chunk.bytes from `from` on: a whole run of ordinary data at once when no attempt is in progress,
  // otherwise the one byte `from` through on_byte. Returns how many bytes it consumed (at least one).
  std::size_t on_bytes(const serial::RxChunk& chunk, std::size_t from);
  void end_of_chunk() { flush(); }
  bool examining() const { return matched_ > 0; }

 private:
  void abort(TimePoint when);
  std::size_t ordinary_run(const serial::RxChunk& chunk, std::size_t from) const;
  void emit(ByteView bytes, TimePoint when);
  void flush();
  void arm(TimePoint deadline);
  void on_deadline();

  const Timing& timing_;
  Hooks hooks_;
  boost::asio::steady_timer timer_;
  bool enabled_ = false;
  std::array<std::uint8_t, 3> bytes_{};
  std::size_t matched_ = 0;
  TimePoint last_activity_{};
  TimePoint last_match_{};
  TimePoint deadline_{};
  std::uint64_t generation_ = 0;
  Bytes batch_;
  TimePoint batch_time_{};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simdev::wiz550s2e
