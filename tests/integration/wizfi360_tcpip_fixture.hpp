#pragma once
// Shared by the WizFi360 link, send and server binary tests: a simdev on a pty whose station has joined an AP,
// and a TCP listener of the test on 127.0.0.1 that the module's virtual destinations 192.168.11.3:5000 and
// "echo.example" are mapped to; 192.168.11.9:7000 leads to a port nobody listens on.
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "tests/integration/simdev_fixture.hpp"

namespace simdev::test {

class WizFi360TcpipFixture : public SimdevFixture {
 protected:
  using tcp = boost::asio::ip::tcp;

  // Starts the module (fast timing unless `extra` says otherwise), joins the station and turns echo off.
  SerialClient start_joined(std::vector<std::string> extra = {}, std::string timing = "fast") {
    acceptor_.open(tcp::v4());
    acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    const std::string peer = "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
    refused_port_ = free_tcp_port();
    const nlohmann::json map = {{"192.168.11.3:5000", peer},
                                {"echo.example", peer},
                                {"192.168.11.9:7000", "127.0.0.1:" + std::to_string(refused_port_)}};
    std::vector<std::string> args{"--device", "wizfi360", "--timing", timing, "--set", "boot_delay_ms=20",
                                  "--set", "timing.join_ms=5", "--set", "timing.dhcp_ms=5",
                                  "--set", "tcpip.connect_fail_delay_ms=10",
                                  "--set", "network.address_map=" + map.dump(),
                                  "--set", R"(network.listen_map={"80":0,"333":0,"5001":0})"};
    args.insert(args.end(), extra.begin(), extra.end());
    start(args);
    auto c = SerialClient::open_pty(process_->pty_link());
    EXPECT_EQ(attach_and_reboot(c, "wizfi360", "ready\r\n"), "\xFC\r\nready\r\n");
    EXPECT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+CWMODE_CUR=1\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+CWJAP_CUR=\"WIZnet\",\"wiznet1234\"\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n");
    return c;
  }

  static std::string ask(SerialClient& c, std::string_view line, std::string_view end = "OK\r\n") {
    c.write(line);
    return c.read_until(end);
  }

  // Accepts the module's connection; fails the test (instead of hanging) when none comes within 5 s.
  tcp::socket accept_peer() {
    tcp::socket s(io_);
    bool accepted = false;
    acceptor_.async_accept(s, [&](const boost::system::error_code& ec) { accepted = !ec; });
    io_.restart();
    io_.run_for(std::chrono::seconds(5));
    EXPECT_TRUE(accepted) << "no connection from the module";
    return s;
  }

  // Opens link `id` (multi mode when id >= 0, single otherwise) to the test's listener and accepts it.
  tcp::socket open_link(SerialClient& c, int id = -1) {
    if (id < 0) {
      EXPECT_EQ(ask(c, "AT+CIPSTART=\"TCP\",\"192.168.11.3\",5000\r\n"), "CONNECT\r\n\r\nOK\r\n");
    } else {
      const std::string n = std::to_string(id);
      EXPECT_EQ(ask(c, "AT+CIPSTART=" + n + ",\"TCP\",\"192.168.11.3\",5000\r\n"), n + ",CONNECT\r\n\r\nOK\r\n");
    }
    return accept_peer();
  }

  // Reads exactly n bytes (or what came within 5 s).
  std::string peer_read(tcp::socket& s, std::size_t n) {
    std::string data(n, '\0');
    std::size_t got = 0;
    boost::asio::async_read(s, boost::asio::buffer(data),
                            [&](const boost::system::error_code&, std::size_t k) { got = k; });
    io_.restart();
    io_.run_for(std::chrono::seconds(5));
    data.resize(got);
    return data;
  }

  // True when the peer's next read ends the stream (the module closed the link).
  bool peer_sees_eof(tcp::socket& s) {
    char byte = 0;
    boost::system::error_code result;
    bool done = false;
    s.async_read_some(boost::asio::buffer(&byte, 1), [&](const boost::system::error_code& ec, std::size_t) {
      result = ec;
      done = true;
    });
    io_.restart();
    io_.run_for(std::chrono::seconds(5));
    return done && (result == boost::asio::error::eof || result == boost::asio::error::connection_reset);
  }

  static void peer_write(tcp::socket& s, std::string_view data) { boost::asio::write(s, boost::asio::buffer(data)); }

  nlohmann::json device_state() { return control({{"op", "state"}, {"device", "wizfi360"}})["devices"]["wizfi360"]; }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  std::uint16_t refused_port_ = 0;
};

}  // namespace simdev::test
