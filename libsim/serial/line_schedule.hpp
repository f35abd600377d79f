#pragma once
// The absolute timetable of one UART direction: character n (counted from the epoch) finishes at
// epoch + n * frame time, computed exactly from the frame's bit count and baud so long runs never drift.
#include <cstdint>

#include "libsim/serial/serial_port.hpp"
#include "libsim/serial/uart_settings.hpp"

namespace simdev::serial {

class LineSchedule {
 public:
  explicit LineSchedule(const UartSettings& frame = {}) { set_frame(frame); }

  // Changes the frame; the schedule restarts at `now` (callers switch only when the line is idle).
  void set_frame(const UartSettings& frame);
  // The line was idle: the next character starts at `t`.
  void restart(Clock::time_point t) {
    epoch_ = t;
    done_ = 0;
  }

  // Completion time of the k-th character not yet consumed (k = 1 is the next one).
  Clock::time_point completion(std::uint64_t k) const { return epoch_ + span(done_ + k); }
  // How many of the next characters have completed by `now` (at most `limit`).
  std::uint64_t completed_by(Clock::time_point now, std::uint64_t limit) const;
  // Marks `n` characters as consumed.
  void consume(std::uint64_t n) { done_ += n; }
  // When the last consumed character finished.
  Clock::time_point line_free() const { return epoch_ + span(done_); }

  // Exact duration of `chars` characters, rounded down to the nanosecond.
  Clock::duration span(std::uint64_t chars) const;
  Clock::duration char_time() const { return frame_.char_time(); }

 private:
  UartSettings frame_;
  Clock::time_point epoch_{};
  std::uint64_t done_ = 0;
};

}  // namespace simdev::serial
