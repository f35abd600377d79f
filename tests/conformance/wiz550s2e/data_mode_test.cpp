// Spec §3: data mode on real loopback sockets — server password, client reconnection, mixed dial-out,
// serial data while unconnected, inactivity.
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "tests/conformance/wiz550s2e/harness.hpp"
#include "tests/conformance/wiz550s2e/peers.hpp"

namespace simdev::wiz550s2e::test {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

class Wiz550s2eDataMode : public ::testing::Test {
 protected:
  // A listening peer that plays the remote host 192.168.11.101:5000.
  Wiz550s2eDataMode() : remote(peer_io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  void start(nlohmann::json factory, nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json config = {{"factory", factory}};
    config.merge_patch(extra);
    nlohmann::json network = {
        {"listen_map", {{"5000", 0}}},
        {"address_map", {{"192.168.11.101:5000", "127.0.0.1:" + std::to_string(remote.local_endpoint().port())}}}};
    h = std::make_unique<Harness>(config, network);
    h->power_on();
  }
  bool until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 3000ms) {
    return h->run_until(
        [&] {
          peer_io.restart();
          peer_io.poll();
          return done();
        },
        timeout);
  }
  std::string role() { return h->state()["data"]["role"].get<std::string>(); }
  std::uint16_t server_port() { return host_port(h->device->listeners(), 5000, "tcp"); }
  // Accepts the module's next outbound connection (non-blocking accept driven by the loops).
  std::unique_ptr<TcpPeer> accept_module() {
    auto peer = std::make_unique<TcpPeer>(peer_io);
    bool done = false;
    remote.async_accept([&](const boost::system::error_code& ec, tcp::socket s) {
      if (!ec) peer->adopt(std::move(s));
      done = true;
    });
    if (!until([&] { return done; })) return nullptr;
    return peer;
  }

  asio::io_context peer_io;
  tcp::acceptor remote;
  std::unique_ptr<Harness> h;
};

TEST_F(Wiz550s2eDataMode, ServerRequiresTheDefaultPassword) {
  start(nlohmann::json::object());
  TcpPeer peer(peer_io);
  peer.connect(server_port());
  peer.write("WIZnetDATA");
  EXPECT_EQ(h->take_output(4), "DATA");
  h->feed("back");
  EXPECT_TRUE(until([&] { return peer.received == "back"; }));
}

TEST_F(Wiz550s2eDataMode, PasswordTimeoutDisconnects) {
  start(nlohmann::json::object());
  TcpPeer peer(peer_io);
  peer.connect(server_port());
  peer.write("WIZ");
  EXPECT_TRUE(until([&] { return peer.eof; }));
  EXPECT_EQ(h->take(), "");
  EXPECT_EQ(role(), "listening");
}

TEST_F(Wiz550s2eDataMode, ServerListensAgainAfterThePeerLeaves) {
  start({{"pw_connect", ""}});
  {
    TcpPeer first(peer_io);
    first.connect(server_port());
    ASSERT_TRUE(until([&] { return role() == "connected_in"; }));
  }
  ASSERT_TRUE(until([&] { return role() == "listening"; }));
  TcpPeer second(peer_io);
  second.connect(server_port());
  second.write("again");
  EXPECT_EQ(h->take_output(5), "again");
}

TEST_F(Wiz550s2eDataMode, SerialDataIsDroppedWhileNoPeerIsConnected) {
  start({{"pw_connect", ""}});
  h->feed("lost");
  TcpPeer peer(peer_io);
  peer.connect(server_port());
  ASSERT_TRUE(until([&] { return role() == "connected_in"; }));
  h->feed("kept");
  EXPECT_TRUE(until([&] { return peer.received == "kept"; }));
}

TEST_F(Wiz550s2eDataMode, ClientReconnectsAfterThePeerRestarts) {
  start({{"working_mode", "client"}, {"local_port", 0}, {"reconnection", 50}});
  auto first = accept_module();
  ASSERT_TRUE(first);
  ASSERT_TRUE(until([&] { return role() == "connected_out"; }));
  first->write("one");
  EXPECT_EQ(h->take_output(3), "one");
  first->close();
  auto second = accept_module();
  ASSERT_TRUE(second);
  ASSERT_TRUE(until([&] { return role() == "connected_out"; }));
  h->feed("two");
  EXPECT_TRUE(until([&] { return second->received == "two"; }));
}

TEST_F(Wiz550s2eDataMode, MixedModeDialsOutWhenSerialDataIsPending) {
  start({{"working_mode", "mixed"}, {"local_port", 5000}});
  ASSERT_EQ(role(), "listening");
  h->feed("dial");
  auto peer = accept_module();
  ASSERT_TRUE(peer);
  EXPECT_TRUE(until([&] { return peer->received == "dial"; }));
  peer->close();
  EXPECT_TRUE(until([&] { return role() == "listening"; }));
}

TEST_F(Wiz550s2eDataMode, InactivityTimerClosesAnIdleConnection) {
  start({{"pw_connect", ""}, {"inactivity", 2}});
  TcpPeer peer(peer_io);
  peer.connect(server_port());
  ASSERT_TRUE(until([&] { return role() == "connected_in"; }));
  auto connected = std::chrono::steady_clock::now();
  EXPECT_TRUE(until([&] { return peer.eof; }));
  EXPECT_GE(std::chrono::steady_clock::now() - connected, 100ms);  // two 50 ms ticks
}

TEST_F(Wiz550s2eDataMode, MdataAppliesAnUnsavedModeChange) {
  start({{"pw_connect", ""}});
  ASSERT_EQ(h->enter_at_mode(), kBanner);
  EXPECT_EQ(h->send("AT+MMODE=C,0,192.168.11.101,5000\n"), "[F,,3,2]\r\n");
  EXPECT_EQ(h->send("AT+MMODE=C,4999,192.168.11.101,5000\n"), "[S]\r\n");
  EXPECT_EQ(h->send("AT+MDATA\n"), "[S]\r\n");
  auto peer = accept_module();
  ASSERT_TRUE(peer);
  EXPECT_TRUE(until([&] { return role() == "connected_out"; }));
}

}  // namespace
}  // namespace simdev::wiz550s2e::test
