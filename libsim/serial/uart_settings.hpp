#pragma once
// A UART's frame settings and the time one character occupies on the wire.
#include <chrono>
#include <cstdint>
#include <string>

namespace simdev::serial {

enum class Parity { none, odd, even, mark, space };
enum class StopBits { one, one_and_half, two };
enum class FlowControl { none, rts_cts, xon_xoff, rts, cts };

struct UartSettings {
  std::uint32_t baud = 115200;
  std::uint8_t data_bits = 8;  // 5..9
  Parity parity = Parity::none;
  StopBits stop_bits = StopBits::one;
  FlowControl flow = FlowControl::none;

  // Bits per character in half-bit units (so 1.5 stop bits stays exact): start + data + parity + stop.
  std::uint32_t frame_half_bits() const {
    std::uint32_t half = 2u * (1u + data_bits + (parity == Parity::none ? 0u : 1u));
    switch (stop_bits) {
      case StopBits::one: half += 2; break;
      case StopBits::one_and_half: half += 3; break;
      case StopBits::two: half += 4; break;
    }
    return half;
  }
  // Time one character occupies on the line: 115200 8N1 -> 86.806 us (11,520 chars/s).
  std::chrono::nanoseconds char_time() const {
    return std::chrono::nanoseconds(
        static_cast<std::int64_t>(frame_half_bits()) * 500'000'000LL / static_cast<std::int64_t>(baud));
  }
  double chars_per_second() const { return 2.0 * baud / frame_half_bits(); }

  bool operator==(const UartSettings&) const = default;
};

std::string to_string(Parity p);
std::string to_string(StopBits s);
std::string to_string(FlowControl f);
std::string to_string(const UartSettings& s);  // "115200,8N1,none"

}  // namespace simdev::serial
