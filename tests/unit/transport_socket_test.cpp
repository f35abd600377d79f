#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <gtest/gtest.h>

#include "libsim/serial/socket_transports.hpp"
#include "tests/unit/serial_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using simdev::as_bytes;
using simdev::ByteView;
using simdev::serial::EndpointInUse;
using simdev::serial::Transport;
using simdev::serial::TransportEvents;
using simdev::test::HostEnd;
using simdev::test::run_until;

struct Recorder {
  TransportEvents events() {
    TransportEvents e;
    e.on_data = [this](ByteView b) { data.append(reinterpret_cast<const char*>(b.data()), b.size()); };
    e.on_attach = [this](bool a) { a ? ++attaches : ++detaches; };
    return e;
  }
  std::string data;
  int attaches = 0;
  int detaches = 0;
};

std::uint16_t bound_port(const Transport& t) { return t.describe()["port"].get<std::uint16_t>(); }

TEST(TcpTransport, PortZeroBindsAnEphemeralPortAndReportsIt) {
  boost::asio::io_context io;
  auto t = simdev::serial::make_tcp_transport(io.get_executor(), "127.0.0.1", 0);
  t->open();
  EXPECT_EQ(t->describe()["type"], "tcp");
  EXPECT_EQ(t->describe()["host"], "127.0.0.1");
  EXPECT_NE(bound_port(*t), 0);
}

TEST(TcpTransport, CarriesBytesBothWaysUnchanged) {
  boost::asio::io_context io;
  Recorder rec;
  auto t = simdev::serial::make_tcp_transport(io.get_executor(), "127.0.0.1", 0);
  t->start(rec.events());
  HostEnd host(HostEnd::connect_tcp(bound_port(*t)));
  ASSERT_TRUE(run_until(io, [&] { return t->attached(); }));
  ASSERT_TRUE(host.write("AT\r\n"));
  ASSERT_TRUE(run_until(io, [&] { return rec.data.size() >= 4; }));
  EXPECT_EQ(rec.data, "AT\r\n");
  t->write(as_bytes("\r\nOK\r\n"));
  ASSERT_TRUE(run_until(io, [&] {
    host.pump();
    return host.received.size() >= 6;
  }));
  EXPECT_EQ(host.received, "\r\nOK\r\n");
}

TEST(TcpTransport, SecondClientIsClosedWhileTheFirstIsAttached) {
  boost::asio::io_context io;
  Recorder rec;
  auto t = simdev::serial::make_tcp_transport(io.get_executor(), "127.0.0.1", 0);
  t->start(rec.events());
  HostEnd first(HostEnd::connect_tcp(bound_port(*t)));
  ASSERT_TRUE(run_until(io, [&] { return rec.attaches == 1; }));
  HostEnd second(HostEnd::connect_tcp(bound_port(*t)));
  ASSERT_TRUE(run_until(io, [&] {
    second.pump();
    return second.eof;
  }));
  EXPECT_EQ(rec.attaches, 1);
  ASSERT_TRUE(first.write("still here"));
  ASSERT_TRUE(run_until(io, [&] { return rec.data.size() >= 10; }));
  EXPECT_EQ(rec.data, "still here");
}

TEST(TcpTransport, NextClientIsServedAfterTheFirstLeaves) {
  boost::asio::io_context io;
  Recorder rec;
  auto t = simdev::serial::make_tcp_transport(io.get_executor(), "127.0.0.1", 0);
  t->start(rec.events());
  {
    HostEnd first(HostEnd::connect_tcp(bound_port(*t)));
    ASSERT_TRUE(run_until(io, [&] { return rec.attaches == 1; }));
  }
  ASSERT_TRUE(run_until(io, [&] { return rec.detaches == 1; }));
  HostEnd second(HostEnd::connect_tcp(bound_port(*t)));
  ASSERT_TRUE(run_until(io, [&] { return rec.attaches == 2; }));
  t->write(as_bytes("hi"));
  ASSERT_TRUE(run_until(io, [&] {
    second.pump();
    return second.received.size() >= 2;
  }));
  EXPECT_EQ(second.received, "hi");
}

TEST(TcpTransport, TakenPortThrowsEndpointInUse) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor holder(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto t = simdev::serial::make_tcp_transport(io.get_executor(), "127.0.0.1", holder.local_endpoint().port());
  EXPECT_THROW(t->open(), EndpointInUse);
}

TEST(TcpTransport, OutputWithoutClientIsDroppedAndCounted) {
  boost::asio::io_context io;
  Recorder rec;
  auto t = simdev::serial::make_tcp_transport(io.get_executor(), "127.0.0.1", 0);
  t->start(rec.events());
  t->write(as_bytes("lost"));
  EXPECT_EQ(t->counters().bytes_dropped, 4u);
  EXPECT_EQ(t->pending_output(), 0u);
}

class UnixTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("simdev-unix-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "serial.sock").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  boost::asio::io_context io_;
  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(UnixTransportTest, SocketFileIsPrivateAndRemovedOnClose) {
  auto t = simdev::serial::make_unix_transport(io_.get_executor(), path_);
  t->open();
  struct stat st {};
  ASSERT_EQ(::lstat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(t->describe(), (nlohmann::json{{"type", "unix"}, {"path", path_}}));
  t->close();
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(path_)));
}

TEST_F(UnixTransportTest, CarriesBytesBothWaysUnchanged) {
  Recorder rec;
  auto t = simdev::serial::make_unix_transport(io_.get_executor(), path_);
  t->start(rec.events());
  HostEnd host(HostEnd::connect_unix(path_));
  ASSERT_TRUE(host.ok());
  ASSERT_TRUE(host.write("+++"));
  ASSERT_TRUE(run_until(io_, [&] { return rec.data.size() >= 3; }));
  EXPECT_EQ(rec.data, "+++");
  t->write(as_bytes("\r\n"));
  ASSERT_TRUE(run_until(io_, [&] {
    host.pump();
    return host.received.size() >= 2;
  }));
  EXPECT_EQ(host.received, "\r\n");
}

TEST_F(UnixTransportTest, StaleSocketFileIsReplaced) {
  {
    boost::asio::local::stream_protocol::acceptor dead(io_, boost::asio::local::stream_protocol::endpoint(path_));
  }  // closed without unlinking: the file stays, nobody listens
  ASSERT_TRUE(std::filesystem::exists(path_));
  auto t = simdev::serial::make_unix_transport(io_.get_executor(), path_);
  EXPECT_NO_THROW(t->open());
}

TEST_F(UnixTransportTest, LiveSocketThrowsEndpointInUse) {
  auto first = simdev::serial::make_unix_transport(io_.get_executor(), path_);
  first->open();
  auto second = simdev::serial::make_unix_transport(io_.get_executor(), path_);
  EXPECT_THROW(second->open(), EndpointInUse);
}

}  // namespace
