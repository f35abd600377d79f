// The WizFi360 `+++` escape detector (spec §1.12): a packet of exactly three `+` with guard silence around it.
#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "devices/wizfi360/escape_detector.hpp"

namespace {

using namespace std::chrono_literals;
using simdev::ByteView;
using simdev::serial::Clock;
using simdev::wizfi360::EscapeDetector;
using simdev::wizfi360::EscapeTiming;

class EscapeDetectorTest : public ::testing::Test {
 protected:
  // Arrival times lie in the past, so a deadline the detector arms has already expired: poll() runs it.
  Clock::time_point t0 = Clock::now() - 10s;

  EscapeDetectorTest() {
    detector.start(t0);
  }

  // Feeds `bytes`, byte i having arrived at `start + i * spacing`; returns what feed() consumed.
  std::size_t feed(const std::string& bytes, Clock::duration start, Clock::duration spacing = 0ms) {
    const auto* base = reinterpret_cast<const std::uint8_t*>(bytes.data());
    auto first = t0 + start;
    return detector.feed(simdev::as_bytes(bytes), [&](const std::uint8_t* p) { return first + spacing * (p - base); });
  }

  boost::asio::io_context io;
  std::string data;
  std::vector<Clock::time_point> data_times;
  int escapes = 0;
  EscapeDetector detector{io.get_executor(), EscapeTiming{20ms, 3ms},
                          {.data =
                               [this](ByteView bytes, Clock::time_point last) {
                                 data += simdev::as_string(bytes);
                                 data_times.push_back(last);
                               },
                           .escape = [this] { ++escapes; }}};
};

TEST_F(EscapeDetectorTest, OrdinaryBytesPassStraightThrough) {
  EXPECT_EQ(feed("hello, world", 100ms), 12u);
  EXPECT_EQ(data, "hello, world");
  EXPECT_EQ(escapes, 0);
}

TEST_F(EscapeDetectorTest, PlusPacketWithSilenceAroundIsAnEscape) {
  EXPECT_EQ(feed("+++", 100ms), 3u);
  EXPECT_EQ(escapes, 0);  // the silence after has not been seen yet
  io.poll();
  EXPECT_EQ(escapes, 1);
  EXPECT_EQ(data, "");
  EXPECT_FALSE(detector.running());
}

TEST_F(EscapeDetectorTest, EscapeRecognisedWhenTheNextByteArrivesAfterTheGuard) {
  feed("+++", 100ms);
  EXPECT_EQ(feed("AT\r\n", 130ms), 0u);  // these bytes follow the escape: not consumed as data
  EXPECT_EQ(escapes, 1);
  EXPECT_EQ(data, "");
}

TEST_F(EscapeDetectorTest, EscapeInTheMiddleOfAViewLeavesTheRestUnconsumed) {
  std::string bytes = "+++AT";
  const auto* base = reinterpret_cast<const std::uint8_t*>(bytes.data());
  auto consumed = detector.feed(simdev::as_bytes(bytes), [&](const std::uint8_t* p) {
    return t0 + 100ms + (p - base < 3 ? 0ms : 40ms);
  });
  EXPECT_EQ(consumed, 3u);
  EXPECT_EQ(escapes, 1);
  EXPECT_EQ(data, "");
}

TEST_F(EscapeDetectorTest, WireSpacedPlussesAreStillOnePacket) {
  feed("+++", 100ms, 87us);
  io.poll();
  EXPECT_EQ(escapes, 1);
}

TEST_F(EscapeDetectorTest, PlussesInsideABiggerPacketAreData) {
  feed("ab+++cd", 100ms);
  io.poll();
  EXPECT_EQ(data, "ab+++cd");
  EXPECT_EQ(escapes, 0);
}

TEST_F(EscapeDetectorTest, PlussesRightAfterDataAreData) {
  feed("ab", 100ms);
  feed("+++", 110ms);  // only 10 ms of silence before
  io.poll();
  EXPECT_EQ(data, "ab+++");
  EXPECT_EQ(escapes, 0);
}

TEST_F(EscapeDetectorTest, PlussesFollowedTooSoonByMoreBytesAreData) {
  feed("+++", 100ms);
  feed("x", 110ms);
  io.poll();
  EXPECT_EQ(data, "+++x");
  EXPECT_EQ(escapes, 0);
}

TEST_F(EscapeDetectorTest, PlussesWithCrLfAreData) {
  feed("+++\r\n", 100ms);
  io.poll();
  EXPECT_EQ(data, "+++\r\n");
  EXPECT_EQ(escapes, 0);
}

TEST_F(EscapeDetectorTest, FourPlussesAreData) {
  feed("++++", 100ms);
  io.poll();
  EXPECT_EQ(data, "++++");
  EXPECT_EQ(escapes, 0);
}

TEST_F(EscapeDetectorTest, TwoPlussesAloneAreReleasedAsDataAfterTheGuard) {
  feed("++", 100ms);
  EXPECT_EQ(data, "");  // held back while it may still become an escape
  EXPECT_EQ(detector.holding(), 2u);
  io.poll();
  EXPECT_EQ(data, "++");
  ASSERT_EQ(data_times.size(), 1u);
  EXPECT_EQ(data_times[0], t0 + 100ms);
  EXPECT_TRUE(detector.running());
}

TEST_F(EscapeDetectorTest, ShortPlusPacketThenEscapePacket) {
  feed("++", 100ms);
  feed("+++", 130ms);  // the first packet ended by silence; the second is an escape
  EXPECT_EQ(data, "++");
  io.poll();
  EXPECT_EQ(escapes, 1);
}

TEST_F(EscapeDetectorTest, PlussesSplitOverSeveralFeedsStillEscape) {
  feed("+", 100ms);
  feed("+", 105ms);
  feed("+", 110ms);
  io.poll();
  EXPECT_EQ(escapes, 1);
  EXPECT_EQ(data, "");
}

TEST_F(EscapeDetectorTest, SilenceCountsFromTheStartOfTheWatch) {
  detector.start(t0 + 95ms);
  feed("+++", 100ms);
  io.poll();
  EXPECT_EQ(data, "+++");
  EXPECT_EQ(escapes, 0);
}

TEST_F(EscapeDetectorTest, StopForgetsHeldBytes) {
  feed("++", 100ms);
  detector.stop();
  io.poll();
  EXPECT_EQ(data, "");
  EXPECT_EQ(feed("x", 200ms), 0u);  // a stopped detector takes nothing
}

TEST_F(EscapeDetectorTest, DataKeepsItsOrderAroundHeldBytes) {
  feed("a", 50ms);
  feed("++", 100ms);
  feed("b+c", 105ms);
  io.poll();
  EXPECT_EQ(data, "a++b+c");
}

TEST(EscapeTimingTest, ReadsKeysAndKeepsDefaults) {
  auto t = EscapeTiming::from_json({{"escape_guard_ms", 5}});
  EXPECT_EQ(t.guard, 5ms);
  EXPECT_EQ(t.settle, 3ms);
}

TEST(EscapeTimingTest, RejectsNegativeGuard) {
  EXPECT_THROW(EscapeTiming::from_json({{"escape_guard_ms", -1}}), std::invalid_argument);
}

}  // namespace
