#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include "tests/unit/net_test_loop.hpp"

namespace simdev::test {
namespace {

using boost::asio::ip::udp;

class NetUdp : public NetTest {
 protected:
  NetUdp() : peer(io, udp::endpoint(boost::asio::ip::address_v4::loopback(), 0)) {}

  std::uint16_t peer_port() const { return peer.local_endpoint().port(); }
  std::string peer_receive() {
    std::string got;
    std::array<char, 2048> buffer{};
    udp::endpoint from;
    peer.async_receive_from(boost::asio::buffer(buffer), from, [&](boost::system::error_code, std::size_t n) {
      got.assign(buffer.data(), n);
      peer_from = from;
    });
    run_until(io, [&] { return !got.empty(); });
    return got;
  }
  std::unique_ptr<net::UdpSocket> open(net::VirtualNetwork& network, std::uint16_t device_port) {
    boost::system::error_code ec;
    auto socket = network.open_udp(device_port, ec);
    EXPECT_FALSE(ec) << ec.message();
    return socket;
  }

  udp::socket peer;
  udp::endpoint peer_from;
};

TEST_F(NetUdp, SendGoesThroughAddressMap) {
  auto network = make_network({{"listen_map", {{"6000", 0}}},
                               {"address_map", {{"192.168.11.3:5000", "127.0.0.1:" + std::to_string(peer_port())}}}});
  auto socket = open(*network, 6000);
  socket->send_to({"192.168.11.3", 5000}, Bytes{'p', 'i', 'n', 'g'});
  EXPECT_EQ(peer_receive(), "ping");
  EXPECT_EQ(peer_from.port(), socket->host_port().port);
}

TEST_F(NetUdp, ReceivedDatagramReportsHostAndVirtualSource) {
  auto network = make_network({{"listen_map", {{"6000", 0}}},
                               {"address_map", {{"192.168.11.3:5000", "127.0.0.1:" + std::to_string(peer_port())}}}});
  auto socket = open(*network, 6000);
  std::optional<std::tuple<net::HostPort, net::HostPort, std::string>> got;
  socket->start_receiving([&](const boost::system::error_code&, const net::Datagram& d) {
    got.emplace(d.host_source, d.virtual_source, as_string(d.data));
  });
  peer.send_to(boost::asio::buffer(std::string("pong")), udp::endpoint(boost::asio::ip::address_v4::loopback(), socket->host_port().port));
  ASSERT_TRUE(run_until(io, [&] { return got.has_value(); }));
  EXPECT_EQ(std::get<0>(*got), (net::HostPort{"127.0.0.1", peer_port()}));
  EXPECT_EQ(std::get<1>(*got), (net::HostPort{"192.168.11.3", 5000}));
  EXPECT_EQ(std::get<2>(*got), "pong");
}

TEST_F(NetUdp, UnmappedSourceIsReportedAsIs) {
  auto network = make_network({{"listen_map", {{"6000", 0}}}});
  auto socket = open(*network, 6000);
  std::optional<net::HostPort> source;
  socket->start_receiving([&](const boost::system::error_code&, const net::Datagram& d) { source = d.virtual_source; });
  peer.send_to(boost::asio::buffer(std::string("x")), udp::endpoint(boost::asio::ip::address_v4::loopback(), socket->host_port().port));
  ASSERT_TRUE(run_until(io, [&] { return source.has_value(); }));
  EXPECT_EQ(*source, (net::HostPort{"127.0.0.1", peer_port()}));
}

TEST_F(NetUdp, BindsMappedPortAndListsIt) {
  auto network = make_network({{"listen_map", {{"6550", 0}}}});
  auto socket = open(*network, 6550);
  EXPECT_EQ(socket->device_port(), 6550);
  EXPECT_NE(socket->host_port().port, 0);
  EXPECT_EQ(network->listeners()[0]["proto"], "udp");
  EXPECT_EQ(network->listeners()[0]["port"], socket->host_port().port);
}

TEST_F(NetUdp, DatagramsToANameAreResolvedAndKeepOrder) {
  auto network = make_network({{"listen_map", {{"6000", 0}}}});
  auto socket = open(*network, 6000);
  int sent = 0;
  socket->send_to({"localhost", peer_port()}, Bytes{'1'}, [&](const boost::system::error_code& ec, std::size_t) { sent += !ec; });
  socket->send_to({"127.0.0.1", peer_port()}, Bytes{'2'}, [&](const boost::system::error_code& ec, std::size_t) { sent += !ec; });
  EXPECT_EQ(peer_receive(), "1");
  EXPECT_EQ(peer_receive(), "2");
  EXPECT_TRUE(run_until(io, [&] { return sent == 2; }));
}

TEST_F(NetUdp, SecondBindOnSamePortIsEndpointInUse) {
  auto network = make_network({{"listen_map", {{"6000", peer_port()}}}});
  boost::system::error_code ec;
  auto socket = network->open_udp(6000, ec);
  EXPECT_EQ(socket, nullptr);
  EXPECT_TRUE(net::is_endpoint_in_use(ec));
}

TEST_F(NetUdp, SocketMayBeClosedInsideItsHandler) {
  auto network = make_network({{"listen_map", {{"6000", 0}}}});
  auto socket = open(*network, 6000);
  int received = 0;
  socket->start_receiving([&](const boost::system::error_code&, const net::Datagram&) {
    ++received;
    socket->close();
  });
  const udp::endpoint to(boost::asio::ip::address_v4::loopback(), socket->host_port().port);
  peer.send_to(boost::asio::buffer(std::string("1")), to);
  peer.send_to(boost::asio::buffer(std::string("2")), to);
  ASSERT_TRUE(run_until(io, [&] { return received == 1; }));
  io.poll();
  EXPECT_EQ(received, 1);
  EXPECT_FALSE(socket->is_open());
}

}  // namespace
}  // namespace simdev::test
