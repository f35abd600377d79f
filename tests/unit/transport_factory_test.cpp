#include <unistd.h>

#include <filesystem>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "libsim/serial/transport.hpp"

namespace {

using simdev::serial::make_transport;

TEST(TransportFactory, PlainPtyUsesTheDefaultLinkInTheWorkingDirectory) {
  boost::asio::io_context io;
  auto t = make_transport(io.get_executor(), "pty", "wizfi360");
  EXPECT_EQ(t->describe()["type"], "pty");
  EXPECT_EQ(t->describe()["link"], (std::filesystem::current_path() / "wizfi360").string());
}

TEST(TransportFactory, PtyWithLinkUsesIt) {
  boost::asio::io_context io;
  auto t = make_transport(io.get_executor(), "pty:/tmp/ttyWIZ0", "wizfi360");
  EXPECT_EQ(t->describe()["link"], "/tmp/ttyWIZ0");
}

TEST(TransportFactory, TcpSpecGivesATcpServer) {
  boost::asio::io_context io;
  auto t = make_transport(io.get_executor(), "tcp:127.0.0.1:0", "x");
  EXPECT_EQ(t->describe()["type"], "tcp");
}

TEST(TransportFactory, UnixSpecGivesAUnixServer) {
  boost::asio::io_context io;
  auto t = make_transport(io.get_executor(), "unix:/tmp/simdev-factory.sock", "x");
  EXPECT_EQ(t->describe()["path"], "/tmp/simdev-factory.sock");
}

TEST(TransportFactory, StdioSpecGivesStdio) {
  boost::asio::io_context io;
  EXPECT_EQ(make_transport(io.get_executor(), "stdio", "x")->describe()["type"], "stdio");
}

TEST(TransportFactory, BadSpecsNameTheProblem) {
  boost::asio::io_context io;
  const auto message = [&](const std::string& spec) {
    try {
      make_transport(io.get_executor(), spec, "x");
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("tpc:127.0.0.1:5000"),
            "serial spec \"tpc:127.0.0.1:5000\": unknown transport (use pty, pty:LINK, tcp:HOST:PORT, unix:PATH or stdio)");
  EXPECT_EQ(message("tcp:127.0.0.1:70000"), "serial spec \"tcp:127.0.0.1:70000\": port must be a number 0-65535");
  EXPECT_EQ(message("tcp:127.0.0.1:"), "serial spec \"tcp:127.0.0.1:\": port must be a number 0-65535");
  EXPECT_EQ(message("tcp:5000"), "serial spec \"tcp:5000\": expected tcp:HOST:PORT");
  EXPECT_EQ(message("tcp:example.org:5000"),
            "serial spec \"tcp:example.org:5000\": HOST must be an IP address or localhost");
  EXPECT_EQ(message("pty:"), "serial spec \"pty:\": empty link path");
  EXPECT_EQ(message("unix:"), "serial spec \"unix:\": empty socket path");
}

}  // namespace
