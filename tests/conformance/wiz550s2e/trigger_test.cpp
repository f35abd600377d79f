// Spec §2: the +++ trigger, judged on byte arrival times (so wire timing behaves like fast timing).
#include <gtest/gtest.h>

#include "tests/conformance/wiz550s2e/harness.hpp"
#include "tests/conformance/wiz550s2e/peers.hpp"

namespace simdev::wiz550s2e::test {
namespace {

using Clock = std::chrono::steady_clock;

// Server mode without connection password, one peer connected: forwarded serial data is visible.
class Wiz550s2eTrigger : public ::testing::Test {
 protected:
  void start(nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json config = {{"factory", {{"pw_connect", ""}}}};
    config.merge_patch(extra);
    h = std::make_unique<Harness>(config, nlohmann::json{{"listen_map", {{"5000", 0}}}});
    h->power_on();
    peer.connect(host_port(h->device->listeners(), 5000, "tcp"));
    ASSERT_TRUE(h->run_until([&] { return h->state()["data"]["role"] == "connected_in"; }));
  }
  // Hands bytes to the module as if they had arrived on the wire starting at `first`, one per char_time.
  void arrive(std::string_view bytes, Clock::time_point first, Clock::duration char_time = 87us) {
    serial::RxChunk chunk{as_bytes(bytes), first, char_time};
    h->device->on_serial_rx(chunk);
  }
  bool peer_got(const std::string& text) {
    return h->run_until([&] {
      peer_io.restart();
      peer_io.poll();
      return peer.received == text;
    });
  }

  boost::asio::io_context peer_io;
  TcpPeer peer{peer_io};
  std::unique_ptr<Harness> h;
};

TEST_F(Wiz550s2eTrigger, BurstAfterQuietPeriodEntersAtModeAndDropsThePeer) {
  start();
  EXPECT_EQ(h->enter_at_mode(), kBanner);
  EXPECT_EQ(h->mode(), "at");
  EXPECT_TRUE(h->run_until([&] {
    peer_io.restart();
    peer_io.poll();
    return peer.eof;
  }));
}

TEST_F(Wiz550s2eTrigger, NoQuietPeriodBeforeMeansData) {
  start();
  h->advance(40ms);
  h->feed("a+++");
  EXPECT_TRUE(peer_got("a+++"));
  EXPECT_EQ(h->mode(), "data");
}

TEST_F(Wiz550s2eTrigger, ByteDuringGuardAfterAbortsAndForwardsEverything) {
  start();
  h->advance(40ms);
  h->feed("+++AT\r\n");
  EXPECT_TRUE(peer_got("+++AT\r\n"));
  EXPECT_EQ(h->take(), "");
}

TEST_F(Wiz550s2eTrigger, GapBetweenTriggerBytesAborts) {
  start();
  h->advance(40ms);
  h->feed("++");
  h->advance(45ms);
  h->feed("+");
  EXPECT_TRUE(peer_got("+++"));
  h->advance(45ms);
  EXPECT_EQ(h->mode(), "data");
}

TEST_F(Wiz550s2eTrigger, LonePlusIsForwardedOneGapLate) {
  start();
  h->advance(40ms);
  auto fed = Clock::now();
  h->feed("+");
  EXPECT_TRUE(peer_got("+"));
  EXPECT_GE(Clock::now() - fed, 30ms);
}

TEST_F(Wiz550s2eTrigger, DisabledWhenAtCommandUseIsOff) {
  start({{"factory", {{"serial_command", false}}}});
  h->advance(40ms);
  h->feed("+++");
  EXPECT_TRUE(peer_got("+++"));
  h->advance(40ms);
  EXPECT_EQ(h->mode(), "data");
}

TEST_F(Wiz550s2eTrigger, ConfiguredTriggerBytes) {
  start({{"factory", {{"serial_trigger", "616263"}}}});
  EXPECT_EQ(h->enter_at_mode(), "");  // +++ is ordinary data now
  EXPECT_TRUE(peer_got("+++"));
  h->advance(40ms);
  h->feed("abc");
  EXPECT_EQ(h->take_output(kBanner.size()), kBanner);
}

TEST_F(Wiz550s2eTrigger, GuardBeforeJustTooShortOnWireTimes) {
  start({{"timing", {{"trigger_guard_before_ms", 500}}}});
  auto now = Clock::now();
  arrive("x", now - 495ms);
  arrive("+++", now);
  EXPECT_TRUE(peer_got("x+++"));
  EXPECT_EQ(h->mode(), "data");
}

TEST_F(Wiz550s2eTrigger, GuardBeforeJustLongEnoughOnWireTimes) {
  start({{"timing", {{"trigger_guard_before_ms", 500}}}});
  auto now = Clock::now();
  arrive("x", now - 505ms);
  arrive("+++", now);
  EXPECT_EQ(h->take_output(1 + kBanner.size()), kBanner);
  EXPECT_TRUE(peer_got("x"));
}

TEST_F(Wiz550s2eTrigger, CharacterTimesOfASlowLinkCountAsGaps) {
  // At 300 baud 8N1 one character takes 33 ms: longer than the 30 ms gap allowed between trigger bytes.
  start();
  h->advance(40ms);
  arrive("+++", Clock::now(), 33ms);
  EXPECT_TRUE(peer_got("+++"));
}

TEST_F(Wiz550s2eTrigger, TriggerDiscardsPendingPackedData) {
  start({{"factory", {{"packing_size", 100}}}});
  h->feed("held back");
  h->advance(40ms);
  h->feed("+++");
  EXPECT_EQ(h->take_output(kBanner.size()), kBanner);
  EXPECT_EQ(h->state()["data"]["pending_serial_bytes"], 0);
}

TEST_F(Wiz550s2eTrigger, StaleOffsetQuirkHangsAfterAbortWithoutConnection) {
  h = std::make_unique<Harness>(nlohmann::json{{"quirks", {{"trigger_stale_offset_hang", true}}}},
                                nlohmann::json{{"listen_map", {{"5000", 0}}}});
  h->power_on();
  h->advance(40ms);
  h->feed("+");
  h->advance(40ms);
  EXPECT_EQ(h->mode(), "hung");
}

TEST_F(Wiz550s2eTrigger, WithoutTheQuirkAnAbortWithoutConnectionIsHarmless) {
  h = std::make_unique<Harness>(nlohmann::json::object(), nlohmann::json{{"listen_map", {{"5000", 0}}}});
  h->power_on();
  h->advance(40ms);
  h->feed("+");
  h->advance(40ms);
  EXPECT_EQ(h->enter_at_mode(), kBanner);
}

}  // namespace
}  // namespace simdev::wiz550s2e::test
