#include <gtest/gtest.h>

#include "libsim/serial/line_schedule.hpp"

namespace {

using namespace std::chrono_literals;
using simdev::serial::Clock;
using simdev::serial::LineSchedule;
using simdev::serial::UartSettings;

UartSettings at_baud(std::uint32_t baud) {
  UartSettings s;
  s.baud = baud;
  return s;
}

TEST(LineSchedule, OneSecondAt115200Is11520CharactersExactly) {
  const LineSchedule line(at_baud(115200));
  EXPECT_EQ(line.span(11520), 1s);
}

TEST(LineSchedule, SpansAreExactNotSumsOfRoundedCharacters) {
  const LineSchedule line(at_baud(9600));
  EXPECT_EQ(line.span(1), 1'041'666ns);
  EXPECT_EQ(line.span(3), 3'125'000ns);          // 3 x 1,041,666 would drift by 2 ns
  EXPECT_EQ(line.span(960'000), 1000s);         // a million characters, zero drift
}

TEST(LineSchedule, TwoMegabaudCharacterIsFiveMicroseconds) {
  const LineSchedule line(at_baud(2'000'000));
  EXPECT_EQ(line.span(1), 5us);
  EXPECT_EQ(line.span(200'000), 1s);
}

TEST(LineSchedule, FrameBitsCount) {
  UartSettings s = at_baud(9600);
  s.parity = simdev::serial::Parity::even;
  s.stop_bits = simdev::serial::StopBits::two;
  const LineSchedule line(s);  // 12 bits per character -> 800 chars/s
  EXPECT_EQ(line.span(800), 1s);
}

TEST(LineSchedule, CompletionTimesFollowTheEpoch) {
  LineSchedule line(at_baud(115200));
  const Clock::time_point t0{};
  line.restart(t0);
  EXPECT_EQ(line.completion(1), t0 + line.span(1));
  line.consume(10);
  EXPECT_EQ(line.completion(1), t0 + line.span(11));
  EXPECT_EQ(line.line_free(), t0 + line.span(10));
}

TEST(LineSchedule, CompletedByCountsCharactersFinishedAtThatInstant) {
  LineSchedule line(at_baud(9600));
  const Clock::time_point t0{};
  line.restart(t0);
  EXPECT_EQ(line.completed_by(t0, 100), 0u);
  EXPECT_EQ(line.completed_by(line.completion(3) - 1ns, 100), 2u);
  EXPECT_EQ(line.completed_by(line.completion(3), 100), 3u);
  EXPECT_EQ(line.completed_by(line.completion(3), 2), 2u);  // never more than are queued
  line.consume(3);
  EXPECT_EQ(line.completed_by(line.completion(1), 100), 1u);
}

}  // namespace
