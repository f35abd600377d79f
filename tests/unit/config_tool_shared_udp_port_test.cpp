// SharedUdpPorts: one socket per bind text, every datagram offered to every subscriber, replies from the shared
// socket, the port kept while subscribers come and go, and a taken port reported as an error.
#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "libsim/net/shared_udp_port.hpp"

namespace simdev::net {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::udp;

class SharedUdpPortTest : public ::testing::Test {
 protected:
  bool run_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io.restart();
      io.run_one_for(5ms);
    }
    return done();
  }
  void send(std::uint16_t port, std::string_view text) {
    client.send_to(boost::asio::buffer(text.data(), text.size()), udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }

  boost::asio::io_context io;
  std::shared_ptr<spdlog::logger> log = std::make_shared<spdlog::logger>("shared-udp-test");
  SharedUdpPorts ports{io.get_executor(), log};
  udp::socket client{io, udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};
  const HostPort ephemeral{"127.0.0.1", 0};
};

TEST_F(SharedUdpPortTest, SameBindSharesOneSocketAndOffersEachDatagramToAll) {
  std::vector<std::string> seen;
  boost::system::error_code ec;
  auto a = ports.subscribe(ephemeral, [&](const HostPort&, ByteView d) { seen.push_back("a:" + as_string(d)); }, ec);
  auto b = ports.subscribe(ephemeral, [&](const HostPort&, ByteView d) { seen.push_back("b:" + as_string(d)); }, ec);
  ASSERT_FALSE(ec);
  ASSERT_EQ(a->bound(), b->bound());
  EXPECT_NE(a->bound().port, 0);
  send(a->bound().port, "hi");
  ASSERT_TRUE(run_until([&] { return seen.size() == 2; }));
  EXPECT_EQ(seen, (std::vector<std::string>{"a:hi", "b:hi"}));
}

TEST_F(SharedUdpPortTest, RepliesLeaveFromTheSharedPort) {
  boost::system::error_code ec;
  std::unique_ptr<SharedUdpPorts::Subscription> sub;
  sub = ports.subscribe(ephemeral, [&](const HostPort& from, ByteView) { sub->send_to(from, {'o', 'k'}); }, ec);
  send(sub->bound().port, "ping");
  std::array<char, 16> buffer{};
  udp::endpoint from;
  std::size_t got = 0;
  client.async_receive_from(boost::asio::buffer(buffer), from, [&](const boost::system::error_code&, std::size_t n) { got = n; });
  ASSERT_TRUE(run_until([&] { return got > 0; }));
  EXPECT_EQ(std::string(buffer.data(), got), "ok");
  EXPECT_EQ(from.port(), sub->bound().port);
}

TEST_F(SharedUdpPortTest, PortSurvivesItsSubscribersLeaving) {
  boost::system::error_code ec;
  auto first = ports.subscribe(ephemeral, [](const HostPort&, ByteView) {}, ec);
  const auto port = first->bound().port;
  first.reset();
  auto second = ports.subscribe(ephemeral, [](const HostPort&, ByteView) {}, ec);
  EXPECT_EQ(second->bound().port, port);
}

TEST_F(SharedUdpPortTest, SubscriberLeavingDuringDeliveryIsSkipped) {
  boost::system::error_code ec;
  int b_calls = 0;
  std::unique_ptr<SharedUdpPorts::Subscription> b;
  auto a = ports.subscribe(ephemeral, [&](const HostPort&, ByteView) { b.reset(); }, ec);
  b = ports.subscribe(ephemeral, [&](const HostPort&, ByteView) { ++b_calls; }, ec);
  int c_calls = 0;
  auto c = ports.subscribe(ephemeral, [&](const HostPort&, ByteView) { ++c_calls; }, ec);
  send(a->bound().port, "x");
  ASSERT_TRUE(run_until([&] { return c_calls == 1; }));
  EXPECT_EQ(b_calls, 0);
}

TEST_F(SharedUdpPortTest, TakenPortIsAnError) {
  udp::socket holder(io, udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  boost::system::error_code ec;
  auto sub = ports.subscribe({"127.0.0.1", holder.local_endpoint().port()}, [](const HostPort&, ByteView) {}, ec);
  EXPECT_EQ(sub, nullptr);
  EXPECT_EQ(ec, boost::asio::error::address_in_use);
}

}  // namespace
}  // namespace simdev::net
