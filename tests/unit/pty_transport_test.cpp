#include <sys/resource.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include <gtest/gtest.h>

#include "libsim/serial/pty_transport.hpp"
#include "tests/unit/serial_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using simdev::as_bytes;
using simdev::ByteView;
using simdev::serial::PtyOptions;
using simdev::serial::PtyTransport;
using simdev::serial::TransportEvents;
using simdev::test::run_until;
using simdev::test::HostEnd;

class PtyTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("simdev-pty-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    link_ = (dir_ / "ttyWIZ").string();
    pty_ = std::make_unique<PtyTransport>(io_.get_executor(), link_, PtyOptions{2ms});
    TransportEvents events;
    events.on_data = [this](ByteView b) { device_in_.append(reinterpret_cast<const char*>(b.data()), b.size()); };
    events.on_attach = [this](bool a) { a ? ++attach_events_ : ++detach_events_; };
    events.on_client_baud = [this](std::uint32_t baud) { last_baud_ = baud; };
    pty_->open();
    pty_->start(std::move(events));
  }
  void TearDown() override {
    pty_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Opens a client and waits until the transport has seen it.
  std::unique_ptr<HostEnd> attach_client() {
    const int before = attach_events_;
    auto client = std::make_unique<HostEnd>(HostEnd::open_tty(link_));
    EXPECT_TRUE(client->ok());
    EXPECT_TRUE(run_until(io_, [&] { return attach_events_ > before; }));
    return client;
  }
  void detach_client(HostEnd& client) {
    const int before = detach_events_;
    client.close();
    EXPECT_TRUE(run_until(io_, [&] { return detach_events_ > before; }));
  }

  boost::asio::io_context io_;
  std::filesystem::path dir_;
  std::string link_;
  std::unique_ptr<PtyTransport> pty_;
  std::string device_in_;
  int attach_events_ = 0;
  int detach_events_ = 0;
  std::uint32_t last_baud_ = 0;
};

TEST_F(PtyTransportTest, ClientBytesReachTheDeviceUntranslated) {
  auto client = attach_client();
  ASSERT_TRUE(client->write("a\nb"));
  ASSERT_TRUE(run_until(io_, [&] { return device_in_.size() >= 3; }));
  EXPECT_EQ(device_in_, "a\nb");
}

TEST_F(PtyTransportTest, DeviceBytesReachTheClientUntranslatedAndAreNotEchoed) {
  auto client = attach_client();
  pty_->write(as_bytes("x\r"));
  ASSERT_TRUE(run_until(io_, [&] {
    client->pump();
    return client->received.size() >= 2;
  }));
  EXPECT_EQ(client->received, "x\r");
  // An echo would reach the device before anything the client sends afterwards.
  ASSERT_TRUE(client->write("z"));
  ASSERT_TRUE(run_until(io_, [&] { return !device_in_.empty(); }));
  EXPECT_EQ(device_in_, "z");
}

TEST_F(PtyTransportTest, LinkPointsAtTheSlaveWhileOpenAndIsGoneAfterClose) {
  ASSERT_TRUE(std::filesystem::is_symlink(link_));
  EXPECT_EQ(std::filesystem::read_symlink(link_).string(), pty_->slave_path());
  EXPECT_EQ(pty_->describe()["link"], link_);
  pty_->close();
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(link_)));
}

TEST_F(PtyTransportTest, ReopeningAHundredTimesNeverDeliversStaleBytes) {
  for (int i = 0; i < 100; ++i) {
    auto client = attach_client();
    const std::string fresh = "fresh" + std::to_string(i) + "\r\n";
    pty_->write(as_bytes(fresh));
    ASSERT_TRUE(run_until(io_, [&] {
      client->pump();
      return client->received.size() >= fresh.size();
    }));
    ASSERT_EQ(client->received, fresh) << "iteration " << i;
    pty_->write(as_bytes("left unread"));  // the next client must never see this
    ASSERT_TRUE(run_until(io_, [&] { return pty_->pending_output() == 0; }));
    detach_client(*client);
  }
  EXPECT_EQ(pty_->counters().attaches, 100u);
}

TEST_F(PtyTransportTest, DetachedPtyDoesNotSpin) {
  auto client = attach_client();
  detach_client(*client);
  rusage before{};
  ::getrusage(RUSAGE_THREAD, &before);
  const auto wall_start = std::chrono::steady_clock::now();
  io_.run_for(300ms);  // the loop idles with no client; only the HUP poll timer may wake it
  const auto wall = std::chrono::steady_clock::now() - wall_start;
  rusage after{};
  ::getrusage(RUSAGE_THREAD, &after);
  auto cpu_us = [](const rusage& r) {
    return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1'000'000L + r.ru_utime.tv_usec + r.ru_stime.tv_usec;
  };
  const long used = cpu_us(after) - cpu_us(before);
  const long wall_us = std::chrono::duration_cast<std::chrono::microseconds>(wall).count();
  EXPECT_LT(used * 10, wall_us) << used << " us CPU in " << wall_us << " us";
}

TEST_F(PtyTransportTest, OutputWithoutClientIsDroppedAndCounted) {
  pty_->write(as_bytes("nobody"));
  EXPECT_EQ(pty_->counters().bytes_dropped, 6u);
  auto client = attach_client();
  pty_->write(as_bytes("ok"));
  ASSERT_TRUE(run_until(io_, [&] {
    client->pump();
    return client->received.size() >= 2;
  }));
  EXPECT_EQ(client->received, "ok");
}

TEST_F(PtyTransportTest, ClientLineSpeedIsObserved) {
  auto client = attach_client();
  termios t{};
  ASSERT_EQ(::tcgetattr(client->fd(), &t), 0);
  ::cfsetspeed(&t, B9600);
  ASSERT_EQ(::tcsetattr(client->fd(), TCSANOW, &t), 0);
  ASSERT_TRUE(run_until(io_, [&] { return last_baud_ == 9600; }));
  EXPECT_EQ(pty_->client_baud(), 9600u);
}

TEST_F(PtyTransportTest, ClientSeesRawModeFromTheStart) {
  HostEnd client(HostEnd::open_tty(link_));
  ASSERT_TRUE(client.ok());
  termios t{};
  ASSERT_EQ(::tcgetattr(client.fd(), &t), 0);
  EXPECT_EQ(t.c_lflag & (ECHO | ICANON | ISIG), 0u);
  EXPECT_EQ(t.c_oflag & OPOST, 0u);
  EXPECT_EQ(t.c_iflag & ICRNL, 0u);
}

}  // namespace

namespace {

// With polling slowed to an hour, only the open/close notifications can explain what the transport sees.
class PtyOpenCloseEventsTest : public PtyTransportTest {
 protected:
  void SetUp() override {
    PtyTransportTest::SetUp();
    pty_.reset();
    slow_ = std::make_unique<PtyTransport>(io_.get_executor(), link_, PtyOptions{std::chrono::hours(1)});
    TransportEvents events;
    events.on_attach = [this](bool a) { a ? ++attach_events_ : ++detach_events_; };
    events.on_client_baud = [this](std::uint32_t baud) { last_baud_ = baud; };
    slow_->start(std::move(events));
  }
  void TearDown() override {
    slow_.reset();
    PtyTransportTest::TearDown();
  }
  std::unique_ptr<PtyTransport> slow_;
};

TEST_F(PtyOpenCloseEventsTest, AttachIsSeenWithoutWaitingForThePoll) {
  HostEnd client(HostEnd::open_tty(link_));
  ASSERT_TRUE(run_until(io_, [&] { return attach_events_ == 1; }, 2s));
  EXPECT_TRUE(slow_->attached());
}

TEST_F(PtyOpenCloseEventsTest, ShortOpenThatSetsTheSpeedIsSeen) {
  {
    HostEnd stty(HostEnd::open_tty(link_));  // what `stty -F LINK 9600` does in well under a poll interval
    termios t{};
    ASSERT_EQ(::tcgetattr(stty.fd(), &t), 0);
    ::cfsetspeed(&t, B9600);
    ASSERT_EQ(::tcsetattr(stty.fd(), TCSANOW, &t), 0);
  }
  ASSERT_TRUE(run_until(io_, [&] { return last_baud_ == 9600; }, 2s));
}

}  // namespace
