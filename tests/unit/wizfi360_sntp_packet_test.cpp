// SNTP packets (RFC 4330) and the module's 24-character time text (spec §2.3 CIPSNTPTIME).
#include <gtest/gtest.h>

#include "devices/wizfi360/sntp_packet.hpp"

namespace simdev::wizfi360 {
namespace {

using namespace std::chrono;

// 2019-07-24 11:38:25 UTC.
const SystemTime kManualExample = SystemTime(seconds(1563968305));

std::array<std::uint8_t, kSntpPacketSize> reply_to(NtpTimestamp sent, NtpTimestamp transmit) {
  std::array<std::uint8_t, kSntpPacketSize> r{};
  r[0] = (4 << 3) | 4;
  r[1] = 2;
  auto put = [&r](std::size_t at, NtpTimestamp t) {
    for (int i = 0; i < 4; ++i) {
      r[at + i] = static_cast<std::uint8_t>(t.seconds >> (24 - 8 * i));
      r[at + 4 + i] = static_cast<std::uint8_t>(t.fraction >> (24 - 8 * i));
    }
  };
  put(24, sent);
  put(40, transmit);
  return r;
}

TEST(SntpPacket, RequestIsVersion4ClientCarryingTheTransmitTime) {
  auto p = sntp_request({0x01020304, 0x05060708});
  EXPECT_EQ(p[0], 0x23);
  EXPECT_EQ(std::vector<std::uint8_t>(p.begin() + 40, p.end()),
            (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(std::count(p.begin(), p.begin() + 40, 0), 39);
}

TEST(SntpPacket, NtpEraZeroRoundTrip) {
  EXPECT_EQ(to_ntp(kManualExample), (NtpTimestamp{3772957105u, 0}));
  EXPECT_EQ(from_ntp({3772957105u, 0}), kManualExample);
}

TEST(SntpPacket, TopBitClearMeansEraOne) {
  // NTP second 0 of era 1 is 2036-02-07 06:28:16 UTC.
  EXPECT_EQ(from_ntp({0, 0}), SystemTime(seconds(2085978496)));
}

TEST(SntpPacket, ReplyGivesTheServerTransmitTime) {
  const NtpTimestamp sent{3772957000u, 42};
  auto r = reply_to(sent, {3772957105u, 0x80000000u});
  EXPECT_EQ(sntp_reply_time(r, sent), kManualExample + milliseconds(500));
}

TEST(SntpPacket, ReplyToAnotherRequestIsIgnored) {
  auto r = reply_to({3772957000u, 42}, {3772957105u, 0});
  EXPECT_EQ(sntp_reply_time(r, {3772957000u, 43}), std::nullopt);
}

TEST(SntpPacket, KissOfDeathIsIgnored) {
  const NtpTimestamp sent{3772957000u, 42};
  auto r = reply_to(sent, {3772957105u, 0});
  r[1] = 0;
  EXPECT_EQ(sntp_reply_time(r, sent), std::nullopt);
}

TEST(SntpPacket, ClientModeOrShortPacketIsIgnored) {
  const NtpTimestamp sent{3772957000u, 42};
  auto r = reply_to(sent, {3772957105u, 0});
  EXPECT_EQ(sntp_reply_time(ByteView(r.data(), 47), sent), std::nullopt);
  r[0] = 0x23;
  EXPECT_EQ(sntp_reply_time(r, sent), std::nullopt);
}

TEST(SntpPacket, UnsynchronisedServerIsIgnored) {
  const NtpTimestamp sent{3772957000u, 42};
  auto r = reply_to(sent, {3772957105u, 0});
  r[0] |= 0xC0;
  EXPECT_EQ(sntp_reply_time(r, sent), std::nullopt);
}

TEST(SntpTimeText, ManualExampleInUtc) { EXPECT_EQ(module_time_text(kManualExample, 0), "Wed Jul 24 11:38:25 2019"); }

TEST(SntpTimeText, TimezoneShiftsAcrossMidnight) {
  EXPECT_EQ(module_time_text(kManualExample, 13), "Thu Jul 25 00:38:25 2019");
}

TEST(SntpTimeText, SingleDigitDayHasALeadingZero) {
  EXPECT_EQ(module_time_text(SystemTime(seconds(0)), 0), "Thu Jan 01 00:00:00 1970");
}

}  // namespace
}  // namespace simdev::wizfi360
