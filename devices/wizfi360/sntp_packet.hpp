#pragma once
// SNTP (RFC 4330) client packets and the module's time text. Pure functions, no I/O.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "libsim/util/bytes.hpp"

namespace simdev::wizfi360 {

using SystemTime = std::chrono::system_clock::time_point;

// An NTP timestamp: seconds since 1900-01-01 (era 0, or era 1 from 2036 on) and a 2^-32 s fraction.
struct NtpTimestamp {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;
  bool operator==(const NtpTimestamp&) const = default;
};

constexpr std::size_t kSntpPacketSize = 48;

NtpTimestamp to_ntp(SystemTime t);
SystemTime from_ntp(NtpTimestamp t);

// A version 4 client request carrying `transmit` (the server echoes it back as the originate timestamp).
std::array<std::uint8_t, kSntpPacketSize> sntp_request(NtpTimestamp transmit);

// The server's transmit time from a reply to the request stamped `sent`; nullopt when `reply` is not a usable
// server answer to it (short, not mode 4, unsynchronised clock or kiss-o'-death, another request's originate).
std::optional<SystemTime> sntp_reply_time(ByteView reply, NtpTimestamp sent);

// `Wed Jul 24 11:38:25 2019`: 24 characters, two-digit day, `t` shifted by `timezone_hours`.
std::string module_time_text(SystemTime t, long timezone_hours);

}  // namespace simdev::wizfi360
