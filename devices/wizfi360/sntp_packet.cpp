#include "devices/wizfi360/sntp_packet.hpp"

#include <ctime>

namespace simdev::wizfi360 {
namespace {

constexpr std::int64_t kNtpToUnix = 2208988800;  // seconds from 1900-01-01 to 1970-01-01
constexpr std::int64_t kEra = std::int64_t{1} << 32;
constexpr std::uint8_t kVersion4Client = (4 << 3) | 3;  // LI 0, VN 4, mode 3
constexpr int kModeServer = 4;
constexpr int kLeapUnsynchronised = 3;

void put32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

std::uint32_t get32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

NtpTimestamp timestamp_at(ByteView packet, std::size_t offset) {
  return {get32(packet.data() + offset), get32(packet.data() + offset + 4)};
}

}  // namespace

NtpTimestamp to_ntp(SystemTime t) {
  using namespace std::chrono;
  const auto since_unix = duration_cast<nanoseconds>(t.time_since_epoch()).count();
  const std::int64_t whole = since_unix / 1000000000;
  const std::int64_t nanos = since_unix % 1000000000;
  const std::int64_t ntp_seconds = (whole + kNtpToUnix) % kEra;
  return {static_cast<std::uint32_t>(ntp_seconds), static_cast<std::uint32_t>((nanos << 32) / 1000000000)};
}

SystemTime from_ntp(NtpTimestamp t) {
  using namespace std::chrono;
  // RFC 4330 §3: with the top bit clear the timestamp is in era 1 (2036-02-07 onwards).
  const std::int64_t seconds = static_cast<std::int64_t>(t.seconds) + ((t.seconds & 0x80000000u) ? 0 : kEra) - kNtpToUnix;
  const std::int64_t nanos = (static_cast<std::int64_t>(t.fraction) * 1000000000) >> 32;
  return SystemTime(duration_cast<system_clock::duration>(std::chrono::seconds(seconds) + nanoseconds(nanos)));
}

std::array<std::uint8_t, kSntpPacketSize> sntp_request(NtpTimestamp transmit) {
  std::array<std::uint8_t, kSntpPacketSize> packet{};
  packet[0] = kVersion4Client;
  put32(packet.data() + 40, transmit.seconds);
  put32(packet.data() + 44, transmit.fraction);
  return packet;
}

std::optional<SystemTime> sntp_reply_time(ByteView reply, NtpTimestamp sent) {
  if (reply.size() < kSntpPacketSize) return std::nullopt;
  const int leap = reply[0] >> 6;
  const int version = (reply[0] >> 3) & 7;
  const int mode = reply[0] & 7;
  const int stratum = reply[1];
  if (mode != kModeServer || version < 1 || version > 4 || leap == kLeapUnsynchronised) return std::nullopt;
  if (stratum == 0 || stratum > 15) return std::nullopt;  // kiss-o'-death or reserved
  if (timestamp_at(reply, 24) != sent) return std::nullopt;
  const NtpTimestamp transmit = timestamp_at(reply, 40);
  if (transmit.seconds == 0 && transmit.fraction == 0) return std::nullopt;
  return from_ntp(transmit);
}

std::string module_time_text(SystemTime t, long timezone_hours) {
  const std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t)) + timezone_hours * 3600;
  std::tm fields{};
  gmtime_r(&seconds, &fields);
  char text[32];
  std::strftime(text, sizeof text, "%a %b %d %H:%M:%S %Y", &fields);
  return text;
}

}  // namespace simdev::wizfi360
