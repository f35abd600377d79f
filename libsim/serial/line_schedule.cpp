#include "libsim/serial/line_schedule.hpp"

#include <algorithm>

namespace simdev::serial {
namespace {
constexpr __int128 kHalfBitNsNumerator = 500'000'000;  // one half bit = 5e8 / baud ns
}

void LineSchedule::set_frame(const UartSettings& frame) {
  frame_ = frame;
  if (frame_.baud == 0) frame_.baud = 1;
}

Clock::duration LineSchedule::span(std::uint64_t chars) const {
  const __int128 ns = static_cast<__int128>(chars) * frame_.frame_half_bits() * kHalfBitNsNumerator / frame_.baud;
  return std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(static_cast<std::int64_t>(ns)));
}

std::uint64_t LineSchedule::completed_by(Clock::time_point now, std::uint64_t limit) const {
  if (now < epoch_) return 0;
  const __int128 elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now - epoch_).count();
  // Largest n with span(n) <= elapsed. span rounds down, so that is n * half_bits * 5e8 < (elapsed + 1) * baud.
  const __int128 per_char = static_cast<__int128>(frame_.frame_half_bits()) * kHalfBitNsNumerator;
  const __int128 total = ((elapsed_ns + 1) * frame_.baud - 1) / per_char;
  if (total <= static_cast<__int128>(done_)) return 0;
  return std::min<std::uint64_t>(static_cast<std::uint64_t>(total - done_), limit);
}

}  // namespace simdev::serial
