#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "tests/support/mosquitto_broker.hpp"
#include "tests/unit/net_test_loop.hpp"

namespace simdev::test {
namespace {

using boost::asio::ip::tcp;

class NetListener : public NetTest {
 protected:
  std::unique_ptr<net::TcpListener> listen(net::VirtualNetwork& network, std::uint16_t device_port,
                                           net::ListenOptions options = {}) {
    boost::system::error_code ec;
    auto listener = network.listen_tcp(device_port, options, ec);
    EXPECT_FALSE(ec) << ec.message();
    return listener;
  }
  // Connects a plain client socket from the test side.
  std::unique_ptr<tcp::socket> client(std::uint16_t port) {
    auto s = std::make_unique<tcp::socket>(io);
    s->connect({boost::asio::ip::address_v4::loopback(), port});
    return s;
  }
  // True once the peer has closed the client's connection.
  bool closed_by_peer(tcp::socket& s) {
    bool closed = false;
    char byte;
    s.async_read_some(boost::asio::buffer(&byte, 1), [&](boost::system::error_code ec, std::size_t) { closed = !!ec; });
    return run_until(io, [&] { return closed; });
  }
};

TEST_F(NetListener, BindsTheMappedHostPort) {
  const auto host_port = free_loopback_port();
  auto network = make_network({{"listen_map", {{"5000", host_port}}}});
  auto listener = listen(*network, 5000);
  ASSERT_NE(listener, nullptr);
  EXPECT_EQ(listener->device_port(), 5000);
  EXPECT_EQ(listener->host_port(), (net::HostPort{"127.0.0.1", host_port}));
  EXPECT_EQ(network->listeners(), nlohmann::json::parse(R"([{"device_port":5000,"host":"127.0.0.1","port":)" +
                                                        std::to_string(host_port) + R"(,"proto":"tcp"}])"));
}

TEST_F(NetListener, UnmappedDevicePortBindsSameNumber) {
  const auto port = free_loopback_port();
  auto network = make_network();
  auto listener = listen(*network, port);
  ASSERT_NE(listener, nullptr);
  EXPECT_EQ(listener->host_port().port, port);
}

TEST_F(NetListener, PortMappedToZeroIsEphemeral) {
  auto network = make_network({{"listen_map", {{"80", 0}}}});
  auto listener = listen(*network, 80);
  ASSERT_NE(listener, nullptr);
  EXPECT_NE(listener->host_port().port, 0);
  EXPECT_EQ(network->listeners()[0]["port"], listener->host_port().port);
}

TEST_F(NetListener, ClosedListenerLeavesTheListenersList) {
  auto network = make_network({{"listen_map", {{"80", 0}}}});
  auto listener = listen(*network, 80);
  listener->close();
  EXPECT_EQ(network->listeners(), nlohmann::json::array());
}

TEST_F(NetListener, PortInUseIsReportedDistinctly) {
  auto network = make_network({{"listen_map", {{"80", 0}}}});
  auto first = listen(*network, 80);
  auto second_network = make_network({{"listen_map", {{"80", first->host_port().port}}}});
  boost::system::error_code ec;
  auto second = second_network->listen_tcp(80, {}, ec);
  EXPECT_EQ(second, nullptr);
  EXPECT_TRUE(net::is_endpoint_in_use(ec)) << ec.message();
}

TEST_F(NetListener, AcceptedStreamCarriesDataAndReverseMappedPeer) {
  auto network = make_network({{"listen_map", {{"5000", 0}}}, {"address_map", {{"192.168.11.50", "127.0.0.1"}}}});
  auto listener = listen(*network, 5000);
  std::unique_ptr<net::ByteStream> accepted;
  listener->start_accepting([&](const boost::system::error_code&, std::unique_ptr<net::ByteStream> s) { accepted = std::move(s); });
  auto c = client(listener->host_port().port);
  ASSERT_TRUE(run_until(io, [&] { return accepted != nullptr; }));
  EXPECT_EQ(accepted->virtual_remote(), (net::HostPort{"192.168.11.50", c->local_endpoint().port()}));
  EXPECT_EQ(accepted->remote(), (net::HostPort{"127.0.0.1", c->local_endpoint().port()}));

  std::string got;
  accepted->async_read_some([&](const boost::system::error_code&, ByteView data) { got = as_string(data); });
  boost::asio::write(*c, boost::asio::buffer(std::string("AT\r\n")));
  ASSERT_TRUE(run_until(io, [&] { return !got.empty(); }));
  EXPECT_EQ(got, "AT\r\n");
}

TEST_F(NetListener, ConnectionsBeyondLimitAreClosedAndCounted) {
  auto network = make_network({{"listen_map", {{"5000", 0}}}});
  auto listener = listen(*network, 5000, {.backlog = 5, .max_connections = 1});
  std::vector<std::unique_ptr<net::ByteStream>> accepted;
  listener->start_accepting([&](const boost::system::error_code&, std::unique_ptr<net::ByteStream> s) { accepted.push_back(std::move(s)); });
  auto first = client(listener->host_port().port);
  ASSERT_TRUE(run_until(io, [&] { return accepted.size() == 1; }));
  auto second = client(listener->host_port().port);
  EXPECT_TRUE(closed_by_peer(*second));
  EXPECT_EQ(listener->rejected(), 1u);
  EXPECT_EQ(accepted.size(), 1u);
  EXPECT_EQ(listener->open_connections(), 1u);
}

TEST_F(NetListener, ClosingAStreamFreesItsSlot) {
  auto network = make_network({{"listen_map", {{"5000", 0}}}});
  auto listener = listen(*network, 5000, {.backlog = 5, .max_connections = 1});
  std::vector<std::unique_ptr<net::ByteStream>> accepted;
  listener->start_accepting([&](const boost::system::error_code&, std::unique_ptr<net::ByteStream> s) { accepted.push_back(std::move(s)); });
  auto first = client(listener->host_port().port);
  ASSERT_TRUE(run_until(io, [&] { return accepted.size() == 1; }));
  accepted[0].reset();
  EXPECT_EQ(listener->open_connections(), 0u);
  auto second = client(listener->host_port().port);
  ASSERT_TRUE(run_until(io, [&] { return accepted.size() == 2; }));
  EXPECT_EQ(listener->rejected(), 0u);
}

TEST_F(NetListener, ClosedListenerStopsAccepting) {
  auto network = make_network({{"listen_map", {{"5000", 0}}}});
  auto listener = listen(*network, 5000);
  const auto port = listener->host_port().port;
  bool called = false;
  listener->start_accepting([&](const boost::system::error_code&, std::unique_ptr<net::ByteStream>) { called = true; });
  listener->close();
  io.poll();
  tcp::socket s(io);
  boost::system::error_code ec;
  s.connect({boost::asio::ip::address_v4::loopback(), port}, ec);
  EXPECT_EQ(ec, boost::asio::error::connection_refused);
  EXPECT_FALSE(called);
}

TEST_F(NetListener, ListenerMayBeDestroyedInsideItsHandler) {
  auto network = make_network({{"listen_map", {{"5000", 0}}}});
  auto listener = listen(*network, 5000);
  std::unique_ptr<net::ByteStream> accepted;
  listener->start_accepting([&](const boost::system::error_code&, std::unique_ptr<net::ByteStream> s) {
    accepted = std::move(s);
    listener.reset();
  });
  auto c = client(network->listeners()[0]["port"].get<std::uint16_t>());
  ASSERT_TRUE(run_until(io, [&] { return accepted != nullptr; }));
  EXPECT_EQ(listener, nullptr);
  EXPECT_EQ(network->listeners(), nlohmann::json::array());
}

}  // namespace
}  // namespace simdev::test
