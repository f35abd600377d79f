#include <unistd.h>

#include <gtest/gtest.h>

#include "libsim/serial/stdio_transport.hpp"
#include "tests/unit/serial_test_support.hpp"

namespace {

using simdev::as_bytes;
using simdev::ByteView;
using simdev::serial::StdioTransport;
using simdev::serial::TransportEvents;
using simdev::test::HostEnd;
using simdev::test::run_until;

// The parent process's side of simdev's stdin and stdout, as two pipes.
struct Pipes {
  Pipes() {
    EXPECT_EQ(::pipe(to_device), 0);
    EXPECT_EQ(::pipe(from_device), 0);
  }
  ~Pipes() {
    for (int fd : {to_device[0], to_device[1], from_device[0], from_device[1]}) {
      if (fd >= 0) ::close(fd);
    }
  }
  int to_device[2];
  int from_device[2];
};

TEST(StdioTransport, CarriesBytesBothWaysUnchanged) {
  boost::asio::io_context io;
  Pipes p;
  StdioTransport t(io.get_executor(), p.to_device[0], p.from_device[1]);
  std::string device_in;
  TransportEvents e;
  e.on_data = [&](ByteView b) { device_in.append(reinterpret_cast<const char*>(b.data()), b.size()); };
  t.start(std::move(e));
  EXPECT_TRUE(t.attached());
  ASSERT_EQ(::write(p.to_device[1], "AT\r\n", 4), 4);
  ASSERT_TRUE(run_until(io, [&] { return device_in.size() >= 4; }));
  EXPECT_EQ(device_in, "AT\r\n");
  HostEnd reader(::dup(p.from_device[0]));
  t.write(as_bytes("\r\nOK\r\n"));
  ASSERT_TRUE(run_until(io, [&] {
    reader.pump();
    return reader.received.size() >= 6;
  }));
  EXPECT_EQ(reader.received, "\r\nOK\r\n");
}

TEST(StdioTransport, EndOfInputDetachesAndDropsOutput) {
  boost::asio::io_context io;
  Pipes p;
  StdioTransport t(io.get_executor(), p.to_device[0], p.from_device[1]);
  bool detached = false;
  TransportEvents e;
  e.on_attach = [&](bool a) { detached = !a; };
  t.start(std::move(e));
  ::close(p.to_device[1]);
  p.to_device[1] = -1;
  ASSERT_TRUE(run_until(io, [&] { return detached; }));
  t.write(as_bytes("gone"));
  EXPECT_EQ(t.counters().bytes_dropped, 4u);
}

}  // namespace
