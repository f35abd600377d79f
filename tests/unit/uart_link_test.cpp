#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "libsim/serial/line_schedule.hpp"
#include "libsim/serial/pty_transport.hpp"
#include "libsim/serial/uart_link.hpp"
#include "tests/unit/serial_test_support.hpp"

namespace {

using namespace std::chrono_literals;
using simdev::as_bytes;
using simdev::Bytes;
using simdev::TimingMode;
using simdev::serial::Clock;
using simdev::serial::LineSchedule;
using simdev::serial::PtyOptions;
using simdev::serial::PtyTransport;
using simdev::serial::RxChunk;
using simdev::serial::UartLink;
using simdev::serial::UartLinkOptions;
using simdev::serial::UartSettings;
using simdev::test::HostEnd;
using simdev::test::run_until;

UartSettings at_baud(std::uint32_t baud) {
  UartSettings s;
  s.baud = baud;
  return s;
}

struct ReceivedChunk {
  std::string bytes;
  Clock::time_point first;
  Clock::duration char_time;
  Clock::time_point delivered_at;
};

class UartLinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("simdev-uart-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    link_.reset();
    pty_.reset();
    std::filesystem::remove_all(dir_);
  }

  void start(TimingMode timing, UartSettings settings, UartLinkOptions options = {},
             simdev::trace::Tracer* tracer = nullptr) {
    const std::string path = (dir_ / "tty").string();
    pty_ = std::make_unique<PtyTransport>(io_.get_executor(), path, PtyOptions{2ms});
    pty_->open();
    host_ = std::make_unique<HostEnd>(HostEnd::open_tty(path));
    ASSERT_TRUE(host_->ok());
    auto logger = std::make_shared<spdlog::logger>("uart-test", std::make_shared<spdlog::sinks::ostream_sink_st>(log_));
    link_ = std::make_unique<UartLink>(io_.get_executor(), *pty_, timing, settings, tracer ? *tracer : no_trace_,
                                       "dev", logger, options);
    link_->set_rx_handler([this](const RxChunk& c) {
      chunks_.push_back({simdev::as_string(c.bytes), c.first, c.char_time, Clock::now()});
      device_in_ += simdev::as_string(c.bytes);
    });
    link_->set_tx_drained_handler([this] { ++drains_; });
    link_->start();
    ASSERT_TRUE(run_until(io_, [&] { return pty_->attached(); }));
  }

  bool host_receives(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    return run_until(io_, [&] {
      host_->pump();
      return host_->received.size() >= n;
    }, timeout);
  }

  boost::asio::io_context io_;
  std::filesystem::path dir_;
  std::ostringstream log_;
  simdev::trace::Tracer no_trace_;
  std::unique_ptr<PtyTransport> pty_;
  std::unique_ptr<HostEnd> host_;
  std::unique_ptr<UartLink> link_;
  std::vector<ReceivedChunk> chunks_;
  std::string device_in_;
  int drains_ = 0;
};

TEST_F(UartLinkTest, FastTimingDeliversHostBytesAtOnceInOneChunk) {
  start(TimingMode::fast, at_baud(115200));
  ASSERT_TRUE(host_->write("hello"));
  ASSERT_TRUE(run_until(io_, [&] { return device_in_.size() >= 5; }));
  ASSERT_EQ(chunks_.size(), 1u);
  EXPECT_EQ(chunks_[0].bytes, "hello");
  EXPECT_EQ(chunks_[0].char_time, Clock::duration::zero());
}

TEST_F(UartLinkTest, FastTimingDeviceOutputReachesTheHostAndReportsDrained) {
  start(TimingMode::fast, at_baud(115200));
  link_->write(as_bytes("\r\nOK\r\n"));
  ASSERT_TRUE(host_receives(6));
  EXPECT_EQ(host_->received, "\r\nOK\r\n");
  ASSERT_TRUE(run_until(io_, [&] { return drains_ == 1; }));
  EXPECT_EQ(link_->tx_backlog(), 0u);
}

TEST_F(UartLinkTest, WireTimingHostBytesArriveOnTheFrameSchedule) {
  const UartSettings settings = at_baud(9600);
  start(TimingMode::wire, settings);
  const LineSchedule exact(settings);
  const std::string sent = "0123456789abcdefghijklmn";
  const auto written_at = Clock::now();
  ASSERT_TRUE(host_->write(sent));
  ASSERT_TRUE(run_until(io_, [&] { return device_in_.size() >= sent.size(); }));
  EXPECT_EQ(device_in_, sent);

  std::vector<Clock::time_point> arrival;
  for (const auto& c : chunks_) {
    for (std::size_t i = 0; i < c.bytes.size(); ++i) arrival.push_back(c.first + c.char_time * static_cast<long>(i));
    EXPECT_GE(c.delivered_at, c.first + c.char_time * static_cast<long>(c.bytes.size() - 1))
        << "a byte was delivered before it finished arriving";
    EXPECT_LT(c.delivered_at - (c.first + c.char_time * static_cast<long>(c.bytes.size() - 1)), 20ms);
  }
  EXPECT_GE(arrival[0] - written_at, exact.span(1));
  EXPECT_LT(arrival[0] - written_at, exact.span(1) + 10ms);
  for (std::size_t i = 1; i < arrival.size(); ++i) {
    const auto error = (arrival[i] - arrival[0]) - exact.span(i);
    EXPECT_LE(std::chrono::abs(error), 1us) << "byte " << i;
  }
}

TEST_F(UartLinkTest, WireTimingPacesDeviceOutputAtTheCharacterRate) {
  const UartSettings settings = at_baud(115200);
  start(TimingMode::wire, settings);
  const LineSchedule exact(settings);
  const std::string blob(2304, 'x');  // 200 ms at 11,520 chars/s
  const auto t0 = Clock::now();
  link_->write(as_bytes(blob));
  ASSERT_TRUE(host_receives(1152));
  EXPECT_GE(Clock::now() - t0, exact.span(1152));
  ASSERT_TRUE(host_receives(blob.size()));
  const auto elapsed = Clock::now() - t0;
  EXPECT_GE(elapsed, exact.span(blob.size()));
  EXPECT_LT(elapsed, exact.span(blob.size()) + 30ms);
  EXPECT_EQ(host_->received, blob);
}

TEST_F(UartLinkTest, NewSettingsApplyAfterQueuedBytesLeaveAtTheOldRate) {
  start(TimingMode::wire, at_baud(9600));
  const LineSchedule slow(at_baud(9600));
  const LineSchedule fast(at_baud(115200));
  const auto t0 = Clock::now();
  link_->write(as_bytes("\r\nOK\r\n\r\nOK"));  // 10 bytes, ~10.4 ms at 9600
  link_->apply_settings(at_baud(115200));
  EXPECT_EQ(link_->settings().baud, 9600u);
  ASSERT_TRUE(host_receives(10));
  EXPECT_GE(Clock::now() - t0, slow.span(10));
  EXPECT_EQ(link_->settings().baud, 115200u);

  const std::string burst(115, 'y');  // 10 ms at 115200, 120 ms at 9600
  const auto t1 = Clock::now();
  link_->write(as_bytes(burst));
  ASSERT_TRUE(host_receives(10 + burst.size()));
  const auto elapsed = Clock::now() - t1;
  EXPECT_GE(elapsed, fast.span(burst.size()));
  EXPECT_LT(elapsed, slow.span(burst.size()) / 2);
}

TEST_F(UartLinkTest, FullRxFifoBacksUpTheHostAndLosesNothing) {
  UartLinkOptions options;
  options.rx_fifo_bytes = 64;
  options.rx_resume_bytes = 32;
  start(TimingMode::fast, at_baud(115200), options);
  link_->set_rx_paused(true);
  std::string blob;
  for (int i = 0; blob.size() < 256 * 1024; ++i) blob += std::to_string(i) + ",";
  std::size_t offered = 0;
  bool host_blocked = false;
  ASSERT_TRUE(run_until(io_, [&] {
    const std::size_t n = host_->write_some(blob.substr(offered, 4096));
    offered += n;
    host_blocked = n == 0 && link_->state()["rx_fifo"].get<std::size_t>() >= 64;
    return host_blocked;
  }));
  EXPECT_LT(offered, blob.size());
  EXPECT_TRUE(device_in_.empty());

  link_->set_rx_paused(false);
  ASSERT_TRUE(run_until(io_, [&] {
    if (offered < blob.size()) offered += host_->write_some(blob.substr(offered, 4096));
    return device_in_.size() >= blob.size();
  }, 20s));
  EXPECT_EQ(device_in_, blob);
}

TEST_F(UartLinkTest, WireTimingFifoStaysBoundedWhileTheHostOutrunsTheLine) {
  UartLinkOptions options;
  options.rx_fifo_bytes = 256;
  options.rx_resume_bytes = 128;
  start(TimingMode::wire, at_baud(9600), options);
  const std::string blob(64 * 1024, 'w');  // a minute of line time at 9600
  std::size_t offered = 0;
  ASSERT_TRUE(run_until(io_, [&] {
    const std::size_t n = host_->write_some(blob.substr(offered, 4096));
    offered += n;
    return n == 0 && link_->state()["rx_fifo"].get<std::size_t>() >= 256;
  }));
  EXPECT_LT(offered, blob.size());  // the host is held back by the line rate, not buffered without bound
  EXPECT_LE(link_->state()["rx_fifo"].get<std::size_t>(), 256u + 4096u);  // at most one read past the mark
}

TEST_F(UartLinkTest, WireTimingPausedDeviceGetsHeldBytesPacedFromResume) {
  const UartSettings settings = at_baud(115200);
  start(TimingMode::wire, settings);
  link_->set_rx_paused(true);
  ASSERT_TRUE(host_->write("abc"));
  ASSERT_TRUE(run_until(io_, [&] { return link_->state()["rx_fifo"] == 3; }));
  EXPECT_TRUE(device_in_.empty());
  const auto resumed_at = Clock::now();
  link_->set_rx_paused(false);
  ASSERT_TRUE(run_until(io_, [&] { return device_in_.size() >= 3; }));
  EXPECT_EQ(device_in_, "abc");
  EXPECT_GE(chunks_.front().first, resumed_at + LineSchedule(settings).span(1));
}

TEST_F(UartLinkTest, SlowHostLosesNoDeviceOutput) {
  start(TimingMode::fast, at_baud(115200));
  std::string blob;
  for (int i = 0; blob.size() < 128 * 1024; ++i) blob += std::to_string(i) + ";";
  link_->write(as_bytes(blob));
  ASSERT_TRUE(run_until(io_, [&] { return pty_->pending_output() > 0; }));  // the host's buffer is full
  EXPECT_GT(link_->tx_backlog(), 0u);
  EXPECT_EQ(drains_, 0);
  ASSERT_TRUE(host_receives(blob.size(), 20s));
  EXPECT_EQ(host_->received, blob);
  ASSERT_TRUE(run_until(io_, [&] { return drains_ == 1; }));
  EXPECT_EQ(link_->tx_backlog(), 0u);
}

TEST_F(UartLinkTest, DiscardTxCutsOffQueuedOutput) {
  start(TimingMode::wire, at_baud(9600));
  link_->write(as_bytes(std::string(100, 'z')));
  EXPECT_EQ(link_->tx_backlog(), 100u);
  ASSERT_TRUE(host_receives(1));
  link_->discard_tx();
  ASSERT_TRUE(run_until(io_, [&] { return drains_ == 1; }));
  host_->pump();
  EXPECT_LT(host_->received.size(), 100u);
  EXPECT_EQ(host_->received, std::string(host_->received.size(), 'z'));
}

TEST_F(UartLinkTest, ClientBaudMismatchIsReportedAndLogged) {
  start(TimingMode::fast, at_baud(115200));
  termios t{};
  ASSERT_EQ(::tcgetattr(host_->fd(), &t), 0);
  ::cfsetspeed(&t, B9600);
  ASSERT_EQ(::tcsetattr(host_->fd(), TCSANOW, &t), 0);
  ASSERT_TRUE(run_until(io_, [&] { return link_->client_baud() == 9600u; }));
  EXPECT_EQ(link_->state()["client_baud"], 9600);
  EXPECT_TRUE(run_until(io_, [&] { return log_.str().find("real hardware would read garbage") != std::string::npos; }))
      << log_.str();
}

TEST_F(UartLinkTest, ClientThatSetsTheDeviceSpeedRightAfterOpeningIsNotWarnedAbout) {
  UartLinkOptions options;
  options.baud_check_delay = 20ms;
  start(TimingMode::fast, at_baud(115200), options);  // the client attached at the kernel default, 38400
  termios t{};
  ASSERT_EQ(::tcgetattr(host_->fd(), &t), 0);
  ::cfsetspeed(&t, B115200);
  ASSERT_EQ(::tcsetattr(host_->fd(), TCSANOW, &t), 0);
  ASSERT_TRUE(run_until(io_, [&] { return link_->client_baud() == 115200u; }));
  io_.run_for(options.baud_check_delay * 3);  // past the settle delay: a warning would have been logged by now
  EXPECT_EQ(log_.str(), "");
}

TEST_F(UartLinkTest, StateDescribesTheLink) {
  start(TimingMode::wire, at_baud(115200));
  const auto state = link_->state();
  EXPECT_EQ(state["settings"], "115200,8N1,none");
  EXPECT_EQ(state["timing"], "wire");
  EXPECT_EQ(state["attached"], true);
  EXPECT_EQ(state["transport"]["type"], "pty");
  EXPECT_EQ(state["bytes_dropped"], 0);
}

TEST_F(UartLinkTest, EveryByteBothWaysIsTraced) {
  const std::string trace_path = (dir_ / "trace.jsonl").string();
  {
    simdev::trace::Tracer tracer(trace_path);
    start(TimingMode::fast, at_baud(115200), {}, &tracer);
    ASSERT_TRUE(host_->write("AT\r\n"));
    ASSERT_TRUE(run_until(io_, [&] { return device_in_.size() >= 4; }));
    link_->write(as_bytes("\r\nOK\r\n"));
    ASSERT_TRUE(host_receives(6));
    link_.reset();
  }
  std::ifstream in(trace_path);
  std::string rx_hex, tx_hex, line;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["device"], "dev");
    (j["dir"] == "rx" ? rx_hex : tx_hex) += j["hex"].get<std::string>();
  }
  EXPECT_EQ(rx_hex, "41540d0a");
  EXPECT_EQ(tx_hex, "0d0a4f4b0d0a");
}

}  // namespace
