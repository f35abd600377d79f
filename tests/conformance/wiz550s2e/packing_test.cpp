// Spec §3.4: packing conditions with OR semantics; every example, first on the Packer, then through the module
// in UDP mode where each chunk is one datagram.
#include <gtest/gtest.h>

#include "devices/wiz550s2e/packer.hpp"
#include "tests/conformance/wiz550s2e/harness.hpp"
#include "tests/conformance/wiz550s2e/peers.hpp"

namespace simdev::wiz550s2e::test {
namespace {

PackingRules rules(std::size_t size, std::size_t time_ms, std::string delimiter, std::size_t appendix) {
  PackingRules r;
  r.size = size;
  r.time_ms = time_ms;
  for (std::size_t i = 0; i < delimiter.size(); ++i) r.delimiter[i] = static_cast<std::uint8_t>(delimiter[i]);
  r.delimiter_length = delimiter.size();
  r.appendix = appendix;
  return r;
}

// Feeds `input` and drains every chunk the packer releases without the time condition.
std::vector<std::string> chunks(const Packer& p, std::string& pending, const std::string& input) {
  pending += input;
  std::vector<std::string> out;
  while (std::size_t n = p.ready_length(as_bytes(pending), false)) {
    out.push_back(pending.substr(0, n));
    pending.erase(0, n);
  }
  return out;
}

using Chunks = std::vector<std::string>;

TEST(Wiz550s2ePacker, NoConditionSendsEverything) {
  std::string pending;
  EXPECT_EQ(chunks(Packer(rules(0, 0, "", 0)), pending, "hello"), Chunks{"hello"});
}

TEST(Wiz550s2ePacker, SizeFourSplitsAndKeepsTheRemainder) {
  std::string pending;
  EXPECT_EQ(chunks(Packer(rules(4, 0, "", 0)), pending, "abcdefghij"), (Chunks{"abcd", "efgh"}));
  EXPECT_EQ(pending, "ij");
}

TEST(Wiz550s2ePacker, DelimiterWithOneAppendixByte) {
  std::string pending;
  EXPECT_EQ(chunks(Packer(rules(0, 0, "\r", 1)), pending, "D\rE\rF"), (Chunks{"D\rE", "\rF"}));
}

TEST(Wiz550s2ePacker, DelimiterBeforeSizeIsReached) {
  std::string pending;
  EXPECT_EQ(chunks(Packer(rules(5, 0, ";", 0)), pending, "ab;"), Chunks{"ab;"});
}

TEST(Wiz550s2ePacker, SizeWinsWhenTheDelimiterLiesBeyondIt) {
  std::string pending;
  EXPECT_EQ(chunks(Packer(rules(5, 0, ";", 0)), pending, "123456;"), (Chunks{"12345", "6;"}));
}

TEST(Wiz550s2ePacker, DelimiterWinsWhenItEndsBeforeSize) {
  std::string pending;
  EXPECT_EQ(chunks(Packer(rules(5, 0, ";", 0)), pending, "x;yzabc"), (Chunks{"x;", "yzabc"}));
}

TEST(Wiz550s2ePacker, WaitsForAppendixBytesUntilTimeFires) {
  Packer p(rules(0, 50, ";", 2));
  std::string pending = "a;b";
  EXPECT_EQ(p.ready_length(as_bytes(pending), false), 0u);
  EXPECT_EQ(p.ready_length(as_bytes(pending), true), 3u);
}

TEST(Wiz550s2ePacker, TimeOnlyReleasesEverythingWhenElapsed) {
  Packer p(rules(0, 100, "", 0));
  std::string pending = "xyz";
  EXPECT_EQ(p.ready_length(as_bytes(pending), false), 0u);
  EXPECT_EQ(p.ready_length(as_bytes(pending), true), 3u);
}

// ---- through the module ----------------------------------------------------------------------------------------

class Wiz550s2ePackingOverUdp : public ::testing::Test {
 protected:
  void start(nlohmann::json packing) {
    nlohmann::json factory = {{"working_mode", "udp"}, {"local_port", 6000}};
    factory.update(packing);
    nlohmann::json network = {{"listen_map", {{"6000", 0}}},
                              {"address_map", {{"192.168.11.101:5000", "127.0.0.1:" + std::to_string(peer.port())}}}};
    h = std::make_unique<Harness>(nlohmann::json{{"factory", factory}}, network);
    h->power_on();
    peer.start_receiving();
  }
  bool wait_datagrams(int n) {
    return h->run_until([&] {
      peer_io.restart();
      peer_io.poll();
      return peer.datagrams >= n;
    });
  }

  boost::asio::io_context peer_io;
  UdpPeer peer{peer_io};
  std::unique_ptr<Harness> h;
};

TEST_F(Wiz550s2ePackingOverUdp, SizeFour) {
  start({{"packing_size", 4}});
  h->feed("abcdefghij");
  ASSERT_TRUE(wait_datagrams(2));
  EXPECT_EQ(peer.list, (Chunks{"abcd", "efgh"}));
  EXPECT_EQ(h->state()["data"]["pending_serial_bytes"], 2);
}

TEST_F(Wiz550s2ePackingOverUdp, DelimiterCrWithAppendix) {
  start({{"packing_delimiter", "0d000000"}, {"packing_delimiter_length", 1}, {"packing_data_appendix", 1}});
  h->feed("D\rE\rF");
  ASSERT_TRUE(wait_datagrams(2));
  EXPECT_EQ(peer.list, (Chunks{"D\rE", "\rF"}));
}

TEST_F(Wiz550s2ePackingOverUdp, SizeFiveOrSemicolon) {
  start({{"packing_size", 5}, {"packing_delimiter", "3b000000"}, {"packing_delimiter_length", 1}});
  h->feed("ab;");
  ASSERT_TRUE(wait_datagrams(1));
  h->feed("123456;");
  ASSERT_TRUE(wait_datagrams(3));
  h->feed("x;yzabc");
  ASSERT_TRUE(wait_datagrams(5));
  EXPECT_EQ(peer.list, (Chunks{"ab;", "12345", "6;", "x;", "yzabc"}));
}

TEST_F(Wiz550s2ePackingOverUdp, TimeHundredCountsFromTheLastByte) {
  start({{"packing_time", 100}});
  h->feed("xy");
  h->advance(50ms);
  EXPECT_EQ(peer.datagrams, 0);
  h->feed("z");
  auto z_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_datagrams(1));
  auto waited = std::chrono::steady_clock::now() - z_at;
  EXPECT_EQ(peer.list, Chunks{"xyz"});
  EXPECT_GE(waited, 95ms);
}

TEST_F(Wiz550s2ePackingOverUdp, TimeFiftyOrSemicolon) {
  start({{"packing_time", 50}, {"packing_delimiter", "3b000000"}, {"packing_delimiter_length", 1}});
  auto fed_at = std::chrono::steady_clock::now();
  h->feed("a;b");
  ASSERT_TRUE(wait_datagrams(1));
  EXPECT_LT(std::chrono::steady_clock::now() - fed_at, 45ms);
  ASSERT_TRUE(wait_datagrams(2));
  EXPECT_GE(std::chrono::steady_clock::now() - fed_at, 45ms);
  EXPECT_EQ(peer.list, (Chunks{"a;", "b"}));
}

}  // namespace
}  // namespace simdev::wiz550s2e::test
