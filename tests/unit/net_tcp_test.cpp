#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "tests/unit/net_test_loop.hpp"

namespace simdev::test {
namespace {

using boost::asio::ip::tcp;

// A loopback peer on the same loop: accepts one connection and collects what arrives.
class Peer {
 public:
  explicit Peer(boost::asio::io_context& io, int backlog = 5) : acceptor_(io), socket_(io) {
    acceptor_.open(tcp::v4());
    acceptor_.bind({boost::asio::ip::address_v4::loopback(), 0});
    acceptor_.listen(backlog);
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void accept() {
    acceptor_.async_accept(socket_, [this](boost::system::error_code ec) {
      accepted = !ec;
      if (!ec) read();
    });
  }
  void read() {
    socket_.async_read_some(boost::asio::buffer(buffer_), [this](boost::system::error_code ec, std::size_t n) {
      if (ec) {
        eof = true;
        return;
      }
      received.append(buffer_.data(), n);
      read();
    });
  }
  void send(const std::string& text) { boost::asio::write(socket_, boost::asio::buffer(text)); }
  void close() { socket_.close(); }
  tcp::socket& socket() { return socket_; }

  bool accepted = false;
  bool eof = false;
  std::string received;

 private:
  tcp::acceptor acceptor_;
  tcp::socket socket_;
  std::array<char, 4096> buffer_{};
};

class NetTcp : public NetTest {
 protected:
  struct Connected {
    bool done = false;
    boost::system::error_code ec;
    std::unique_ptr<net::ByteStream> stream;
  };
  std::unique_ptr<net::PendingConnect> connect(net::VirtualNetwork& network, net::HostPort to, Connected& out,
                                               net::ConnectOptions options = {}) {
    return network.connect_tcp(to, options, [&out](const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> s) {
      out.done = true;
      out.ec = ec;
      out.stream = std::move(s);
    });
  }
};

TEST_F(NetTcp, ConnectsThroughAddressMapAndCarriesDataBothWays) {
  Peer peer(io);
  peer.accept();
  auto network = make_network({{"address_map", {{"192.168.11.3:5000", "127.0.0.1:" + std::to_string(peer.port())}}}});
  Connected c;
  auto pending = connect(*network, {"192.168.11.3", 5000}, c);
  ASSERT_TRUE(run_until(io, [&] { return c.done && peer.accepted; }));
  ASSERT_FALSE(c.ec) << c.ec.message();
  EXPECT_EQ(c.stream->virtual_remote(), (net::HostPort{"192.168.11.3", 5000}));
  EXPECT_EQ(c.stream->remote(), (net::HostPort{"127.0.0.1", peer.port()}));
  EXPECT_FALSE(c.stream->is_tls());

  c.stream->async_write(Bytes{'h', 'e', 'l', 'l', 'o'});
  ASSERT_TRUE(run_until(io, [&] { return peer.received.size() == 5; }));
  EXPECT_EQ(peer.received, "hello");

  std::string got;
  c.stream->async_read_some([&](const boost::system::error_code&, ByteView data) { got = as_string(data); });
  peer.send("world\r\n");
  ASSERT_TRUE(run_until(io, [&] { return !got.empty(); }));
  EXPECT_EQ(got, "world\r\n");
}

TEST_F(NetTcp, WritesArriveInCallOrder) {
  Peer peer(io);
  peer.accept();
  auto network = make_network();
  Connected c;
  auto pending = connect(*network, {"127.0.0.1", peer.port()}, c);
  ASSERT_TRUE(run_until(io, [&] { return c.done && peer.accepted; }));
  int completed = 0;
  for (char ch : std::string("abc")) {
    c.stream->async_write(Bytes(1000, static_cast<std::uint8_t>(ch)), [&](const boost::system::error_code&, std::size_t) { ++completed; });
  }
  EXPECT_EQ(c.stream->write_backlog(), 3000u);
  ASSERT_TRUE(run_until(io, [&] { return peer.received.size() == 3000 && completed == 3; }));
  EXPECT_EQ(peer.received, std::string(1000, 'a') + std::string(1000, 'b') + std::string(1000, 'c'));
  EXPECT_EQ(c.stream->write_backlog(), 0u);
}

TEST_F(NetTcp, PeerCloseGivesEof) {
  Peer peer(io);
  peer.accept();
  auto network = make_network();
  Connected c;
  auto pending = connect(*network, {"127.0.0.1", peer.port()}, c);
  ASSERT_TRUE(run_until(io, [&] { return c.done && peer.accepted; }));
  boost::system::error_code read_ec;
  bool read_done = false;
  c.stream->async_read_some([&](const boost::system::error_code& ec, ByteView) { read_ec = ec, read_done = true; });
  peer.close();
  ASSERT_TRUE(run_until(io, [&] { return read_done; }));
  EXPECT_EQ(read_ec, boost::asio::error::eof);
}

TEST_F(NetTcp, CloseSilencesPendingRead) {
  Peer peer(io);
  peer.accept();
  auto network = make_network();
  Connected c;
  auto pending = connect(*network, {"127.0.0.1", peer.port()}, c);
  ASSERT_TRUE(run_until(io, [&] { return c.done && peer.accepted; }));
  bool called = false;
  c.stream->async_read_some([&](const boost::system::error_code&, ByteView) { called = true; });
  c.stream->close();
  c.stream->close();  // idempotent
  ASSERT_TRUE(run_until(io, [&] { return peer.eof; }));
  io.poll();
  EXPECT_FALSE(called);
  EXPECT_FALSE(c.stream->is_open());
}

TEST_F(NetTcp, RefusedConnectReportsError) {
  const auto port = [&] {
    Peer closed(io);
    return closed.port();
  }();
  auto network = make_network();
  Connected c;
  auto pending = connect(*network, {"127.0.0.1", port}, c);
  ASSERT_TRUE(run_until(io, [&] { return c.done; }));
  EXPECT_EQ(c.ec, boost::asio::error::connection_refused);
  EXPECT_EQ(c.stream, nullptr);
}

TEST_F(NetTcp, ConnectTimesOutWhenListenBacklogIsFull) {
  Peer peer(io, 0);  // never accepts; backlog 0 holds one connection, so the next SYNs go unanswered
  std::vector<std::unique_ptr<tcp::socket>> fillers;
  for (int i = 0; i < 2; ++i) {  // asynchronous: a blocking connect into a full queue would wait for minutes
    fillers.push_back(std::make_unique<tcp::socket>(io));
    fillers.back()->async_connect({boost::asio::ip::address_v4::loopback(), peer.port()}, [](boost::system::error_code) {});
  }
  auto network = make_network();
  Connected c;
  net::ConnectOptions options;
  options.timeout = std::chrono::milliseconds(200);
  const auto start = std::chrono::steady_clock::now();
  auto pending = connect(*network, {"127.0.0.1", peer.port()}, c, options);
  ASSERT_TRUE(run_until(io, [&] { return c.done; }));
  EXPECT_EQ(c.ec, boost::asio::error::timed_out);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST_F(NetTcp, CancelledConnectNeverCallsHandler) {
  Peer peer(io);
  peer.accept();
  auto network = make_network();
  Connected c;
  auto pending = connect(*network, {"127.0.0.1", peer.port()}, c);
  pending->cancel();
  io.run_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(c.done);
}

TEST_F(NetTcp, KeepaliveOptionsReachTheSocket) {
  Peer peer(io);
  peer.accept();
  auto network = make_network();
  Connected c;
  net::ConnectOptions options;
  options.keepalive_s = 7;
  auto pending = connect(*network, {"127.0.0.1", peer.port()}, c, options);
  ASSERT_TRUE(run_until(io, [&] { return c.done; }));
  ASSERT_FALSE(c.ec);
  const int fd = c.stream->native_handle();
  int on = 0, idle = 0, interval = 0;
  socklen_t length = sizeof(int);
  getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, &length);
  getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, &length);
  getsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, &length);
  EXPECT_EQ(on, 1);
  EXPECT_EQ(idle, 7);
  EXPECT_EQ(interval, 7);
}

TEST_F(NetTcp, KeepaliveOffByDefault) {
  Peer peer(io);
  peer.accept();
  auto network = make_network();
  Connected c;
  auto pending = connect(*network, {"127.0.0.1", peer.port()}, c);
  ASSERT_TRUE(run_until(io, [&] { return c.done; }));
  int on = 1;
  socklen_t length = sizeof on;
  getsockopt(c.stream->native_handle(), SOL_SOCKET, SO_KEEPALIVE, &on, &length);
  EXPECT_EQ(on, 0);
}

TEST_F(NetTcp, RequestedLocalPortIsUsed) {
  Peer peer(io);
  peer.accept();
  const auto local_port = [&] {
    Peer spare(io);
    return spare.port();
  }();
  auto network = make_network();
  Connected c;
  net::ConnectOptions options;
  options.local_port = local_port;
  auto pending = connect(*network, {"127.0.0.1", peer.port()}, c, options);
  ASSERT_TRUE(run_until(io, [&] { return c.done; }));
  ASSERT_FALSE(c.ec);
  EXPECT_EQ(c.stream->local().port, local_port);
}

TEST_F(NetTcp, MappedNameIsResolvedThroughHostResolver) {
  Peer peer(io);
  peer.accept();
  auto network = make_network({{"address_map", {{"broker.example", "localhost:" + std::to_string(peer.port())}}}});
  Connected c;
  auto pending = connect(*network, {"broker.example", 80}, c);
  ASSERT_TRUE(run_until(io, [&] { return c.done && peer.accepted; }));
  ASSERT_FALSE(c.ec) << c.ec.message();
  EXPECT_EQ(c.stream->virtual_remote(), (net::HostPort{"broker.example", 80}));
}

TEST_F(NetTcp, ConnectAndCloseAreTraced) {
  char path[] = "/tmp/simdev-trace-XXXXXX";
  close(mkstemp(path));
  {
    trace::Tracer file_tracer(path);
    Peer peer(io);
    peer.accept();
    net::VirtualNetwork network(io.get_executor(), {}, "dev", file_tracer, logger());
    Connected c;
    auto pending = connect(network, {"127.0.0.1", peer.port()}, c);
    ASSERT_TRUE(run_until(io, [&] { return c.done; }));
    c.stream->close();
  }
  std::ifstream in(path);
  std::vector<std::string> events;
  for (std::string line; std::getline(in, line);) events.push_back(nlohmann::json::parse(line)["event"]);
  std::remove(path);
  EXPECT_EQ(events, (std::vector<std::string>{"tcp_connect", "tcp_close"}));
}

}  // namespace
}  // namespace simdev::test
