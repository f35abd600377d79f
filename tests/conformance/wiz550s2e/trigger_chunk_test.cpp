// Spec §2 on whole RX chunks: runs of ordinary data pass in one piece, trigger bytes are still judged one by one.
#include <gtest/gtest.h>

#include <string>

#include "tests/conformance/wiz550s2e/harness.hpp"
#include "tests/conformance/wiz550s2e/peers.hpp"

namespace simdev::wiz550s2e::test {
namespace {

using Clock = std::chrono::steady_clock;

class Wiz550s2eTriggerChunk : public ::testing::Test {
 protected:
  void SetUp() override {
    nlohmann::json config = {{"factory", {{"pw_connect", ""}}}};
    h = std::make_unique<Harness>(config, nlohmann::json{{"listen_map", {{"5000", 0}}}});
    h->power_on();
    peer.connect(host_port(h->device->listeners(), 5000, "tcp"));
    ASSERT_TRUE(h->run_until([&] { return h->state()["data"]["role"] == "connected_in"; }));
  }
  void arrive(std::string_view bytes, Clock::time_point first, Clock::duration char_time) {
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

TEST_F(Wiz550s2eTriggerChunk, LargeChunkWithTriggerMidStreamIsForwardedIntact) {
  std::string data(300, 'x');
  data += "+++";
  data += std::string(300, 'y');
  arrive(data, Clock::now(), Clock::duration::zero());
  EXPECT_TRUE(peer_got(data));
  EXPECT_EQ(h->mode(), "data");
}

TEST_F(Wiz550s2eTriggerChunk, PlusAfterGuardAtChunkEndIsHeldThenReleasedOnAbort) {
  arrive("ab+", Clock::now(), 40ms);  // the + arrives 40 ms after the b: quiet enough to open an attempt
  EXPECT_TRUE(peer_got("ab"));
  EXPECT_TRUE(peer_got("ab+"));
  EXPECT_EQ(h->mode(), "data");
}

}  // namespace
}  // namespace simdev::wiz550s2e::test
