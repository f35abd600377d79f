// A client asking for a non-standard rate (as pyserial does for 250000) uses BOTHER, which only TCGETS2 can
// see. Kept in its own file: <asm/termbits.h> clashes with <termios.h>.
#include <asm/ioctls.h>
#include <asm/termbits.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "libsim/serial/pty_transport.hpp"
#include "tests/unit/serial_test_support.hpp"

extern "C" int ioctl(int fd, unsigned long request, ...) noexcept;

namespace {

using namespace std::chrono_literals;
using simdev::serial::PtyOptions;
using simdev::serial::PtyTransport;
using simdev::serial::TransportEvents;
using simdev::test::HostEnd;
using simdev::test::run_until;

TEST(PtyCustomSpeed, NonStandardClientRateIsObserved) {
  const auto dir = std::filesystem::temp_directory_path() / ("simdev-pty-speed-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string link = (dir / "tty").string();
  boost::asio::io_context io;
  std::uint32_t reported = 0;
  {
    PtyTransport pty(io.get_executor(), link, PtyOptions{2ms});
    TransportEvents events;
    events.on_client_baud = [&](std::uint32_t baud) { reported = baud; };
    pty.start(std::move(events));
    HostEnd client(HostEnd::open_tty(link));
    ASSERT_TRUE(client.ok());
    ASSERT_TRUE(run_until(io, [&] { return pty.attached(); }));

    termios2 t{};
    ASSERT_EQ(ioctl(client.fd(), TCGETS2, &t), 0);
    t.c_cflag &= ~CBAUD;
    t.c_cflag |= BOTHER;
    t.c_ispeed = t.c_ospeed = 250000;
    ASSERT_EQ(ioctl(client.fd(), TCSETS2, &t), 0);
    ASSERT_TRUE(run_until(io, [&] { return reported == 250000; }));
    EXPECT_EQ(pty.client_baud(), 250000u);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
