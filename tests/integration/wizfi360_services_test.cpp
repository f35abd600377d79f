// WizFi360 services through the real binary and a real pty (spec §2.3: CIPDOMAIN, PING, CIPSNTPCFG/CIPSNTPTIME,
// CIUPDATE). The peers live on 127.0.0.1 in a thread of the test: an SNTP responder on a UDP port and an HTTP
// server for firmware images; the module reaches them by name through network.address_map.
#include <memory>
#include <regex>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "tests/integration/simdev_fixture.hpp"

namespace simdev::test {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;

constexpr std::string_view kBootBanner = "\xFC\r\nready\r\n";
// 2019-07-24 11:38:25 UTC, the manual's example time, as NTP seconds (1563968305 + 2208988800).
constexpr std::uint32_t kServedNtpSeconds = 3772957105u;
constexpr std::string_view kFirmware = "WizFi360 firmware image";

// Answers every SNTP request with kServedNtpSeconds (stratum 1, originate = the request's transmit time).
class SntpResponder {
 public:
  explicit SntpResponder(asio::io_context& io) : socket_(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    receive();
  }
  std::uint16_t port() const { return socket_.local_endpoint().port(); }

 private:
  void receive() {
    socket_.async_receive_from(asio::buffer(request_), from_, [this](const boost::system::error_code& ec, std::size_t n) {
      if (ec) return;
      if (n >= 48) {
        std::array<std::uint8_t, 48> reply{};
        reply[0] = (4 << 3) | 4;  // LI 0, VN 4, mode 4 (server)
        reply[1] = 1;             // stratum 1
        std::copy(request_.begin() + 40, request_.begin() + 48, reply.begin() + 24);  // originate
        for (int i = 0; i < 4; ++i) {
          const auto byte = static_cast<std::uint8_t>(kServedNtpSeconds >> (24 - 8 * i));
          reply[32 + i] = byte;  // receive
          reply[40 + i] = byte;  // transmit
        }
        socket_.send_to(asio::buffer(reply), from_);
      }
      receive();
    });
  }

  udp::socket socket_;
  udp::endpoint from_;
  std::array<std::uint8_t, 512> request_{};
};

// Serves kFirmware at /fw.img and 404 for every other target, one request per connection.
class FirmwareServer {
 public:
  explicit FirmwareServer(asio::io_context& io) : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    accept();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  struct Session : std::enable_shared_from_this<Session> {
    explicit Session(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;

    void start() {
      http::async_read(socket, buffer, request, [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
        if (ec) return;
        self->respond();
      });
    }
    void respond() {
      const bool found = request.target() == "/fw.img";
      response.version(11);
      response.result(found ? http::status::ok : http::status::not_found);
      response.body() = found ? std::string(kFirmware) : std::string("not here");
      response.keep_alive(false);
      response.prepare_payload();
      http::async_write(socket, response, [self = shared_from_this()](const boost::system::error_code&, std::size_t) {
        boost::system::error_code ignored;
        self->socket.shutdown(tcp::socket::shutdown_send, ignored);
      });
    }
  };

  void accept() {
    acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket s) {
      if (ec) return;
      std::make_shared<Session>(std::move(s))->start();
      accept();
    });
  }

  tcp::acceptor acceptor_;
};

class WizFi360Services : public SimdevFixture {
 protected:
  ~WizFi360Services() override {
    work_.reset();
    io_.stop();
    if (runner_.joinable()) runner_.join();
  }

  // Starts the peers and the module ("time.lab" and "fw.lab" reach them, plus `map`), joins an AP and turns
  // echo off.
  SerialClient start_joined(nlohmann::json map = nlohmann::json::object(), std::vector<std::string> sets = {}) {
    map["time.lab"] = "127.0.0.1:" + std::to_string(sntp_.port());
    map["fw.lab"] = "127.0.0.1:" + std::to_string(http_.port());
    runner_ = std::thread([this] { io_.run(); });
    std::vector<std::string> args{"--set", "timing.join_ms=5", "--set", "timing.dhcp_ms=5", "--set",
                                  "network.address_map=" + map.dump()};
    for (auto& s : sets) {
      args.push_back("--set");
      args.push_back(s);
    }
    start_wizfi360(args);
    auto c = SerialClient::open_pty(process_->pty_link());
    EXPECT_EQ(attach_and_reboot(c, "wizfi360", "ready\r\n"), kBootBanner);
    EXPECT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+CWMODE_CUR=1\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+CWJAP_CUR=\"WIZnet\",\"wiznet1234\"\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n");
    return c;
  }

  static std::string ask(SerialClient& c, std::string_view line, std::string_view end = "OK\r\n") {
    c.write(line);
    return c.read_until(end);
  }

  // Polls CIPSNTPTIME? until the clock has left the epoch; returns the last answer.
  static std::string synced_time(SerialClient& c) {
    std::string answer;
    wait_until(
        [&] {
          answer = ask(c, "AT+CIPSNTPTIME?\r\n");
          return answer != "+CIPSNTPTIME:Thu Jan 01 00:00:00 1970\r\n\r\nOK\r\n";
        },
        std::chrono::seconds(5), std::chrono::milliseconds(10));
    return answer;
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  SntpResponder sntp_{io_};
  FirmwareServer http_{io_};
  std::thread runner_;
};

TEST_F(WizFi360Services, CipdomainNameWithAVirtualIpRuleAnswersThatIp) {
  auto c = start_joined({{"broker.lab", "127.0.0.1:18830"}, {"10.0.0.5", "127.0.0.1:18830"}});
  EXPECT_EQ(ask(c, "AT+CIPDOMAIN=\"broker.lab\"\r\n"), "+CIPDOMAIN:\"10.0.0.5\"\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Services, CipdomainMappedNameAnswersItsTarget) {
  auto c = start_joined({{"io.adafruit.com", "127.0.0.1"}});
  EXPECT_EQ(ask(c, "AT+CIPDOMAIN=\"io.adafruit.com\"\r\n"), "+CIPDOMAIN:\"127.0.0.1\"\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Services, CipdomainUnresolvableNameIsDnsFail) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPDOMAIN=\"nothing.invalid\"\r\n", "\r\nERROR\r\n"), "DNS Fail\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Services, CipdomainAnswersBusyWhileTheHostLookupRuns) {
  auto c = start_joined();
  // One write: the second line is parsed while the host resolver still works on the first (its answer is
  // posted back to the loop), so it meets the running command (§1.7) and is discarded.
  c.write("AT+CIPDOMAIN=\"localhost\"\r\nAT\r\n");
  EXPECT_EQ(c.read_until("\r\nOK\r\n"), "\r\nbusy p...\r\n+CIPDOMAIN:\"127.0.0.1\"\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT\r\n"), "\r\nOK\r\n");
}

TEST_F(WizFi360Services, PingMappedHostReportsTheConfiguredTime) {
  auto c = start_joined({{"192.168.11.3:5000", "127.0.0.1:15000"}}, {"services.ping_rtt_ms=7"});
  EXPECT_EQ(ask(c, "AT+PING=\"192.168.11.3\"\r\n"), "+7\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Services, PingMappedNameReportsAMeasuredTime) {
  auto c = start_joined({{"www.google.com", "127.0.0.1"}});
  const std::string answer = ask(c, "AT+PING=\"www.google.com\"\r\n");
  EXPECT_TRUE(std::regex_match(answer, std::regex("\\+[1-9][0-9]*\r\n\r\nOK\r\n"))) << answer;
}

TEST_F(WizFi360Services, PingUnmappedHostTimesOut) {
  auto c = start_joined({}, {"services.ping_timeout_ms=50"});
  EXPECT_EQ(ask(c, "AT+PING=\"203.0.113.7\"\r\n", "\r\nERROR\r\n"), "+timeout\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Services, SntpTimeFromAMappedServerWithTimezone) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSNTPCFG=1,8,\"time.lab\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(synced_time(c), "+CIPSNTPTIME:Wed Jul 24 19:38:25 2019\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Services, SntpTimezoneChangeAppliesToTheSyncedClock) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIPSNTPCFG=1,0,\"time.lab\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(synced_time(c), "+CIPSNTPTIME:Wed Jul 24 11:38:25 2019\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSNTPCFG=1,-11,\"time.lab\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSNTPTIME?\r\n"), "+CIPSNTPTIME:Wed Jul 24 00:38:25 2019\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Services, SntpSilentServerFallsBackToTheNext) {
  udp::socket silent(io_, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));  // bound, never answers
  auto c = start_joined({{"silent.lab", "127.0.0.1:" + std::to_string(silent.local_endpoint().port())}},
                        {"services.sntp_timeout_ms=100"});
  EXPECT_EQ(ask(c, "AT+CIPSNTPCFG=1,1,\"silent.lab\",\"time.lab\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(synced_time(c), "+CIPSNTPTIME:Wed Jul 24 12:38:25 2019\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Services, CiupdateDownloadsThenReboots) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIUPDATE=\"http://fw.lab/fw.img\"\r\n", "ready\r\n"),
            "+CIPUPDATE:1\r\n+CIPUPDATE:2\r\n+CIPUPDATE:3\r\n+CIPUPDATE:4\r\n\r\nOK\r\n" + std::string(kBootBanner));
  EXPECT_EQ(ask(c, "AT\r\n"), "AT\r\n\r\nOK\r\n");  // echo is back on after the reboot
}

TEST_F(WizFi360Services, CiupdateWithoutUrlFetchesTheConfiguredOne) {
  auto c = start_joined({}, {"services.update_url=http://fw.lab/fw.img"});
  EXPECT_EQ(ask(c, "AT+CIUPDATE\r\n", "ready\r\n"),
            "+CIPUPDATE:1\r\n+CIPUPDATE:2\r\n+CIPUPDATE:3\r\n+CIPUPDATE:4\r\n\r\nOK\r\n" + std::string(kBootBanner));
}

TEST_F(WizFi360Services, CiupdateNotFoundIsError) {
  auto c = start_joined();
  EXPECT_EQ(ask(c, "AT+CIUPDATE=\"http://fw.lab/missing.img\"\r\n", "\r\nERROR\r\n"),
            "+CIPUPDATE:1\r\n+CIPUPDATE:2\r\n\r\nERROR\r\n");
  EXPECT_EQ(ask(c, "AT\r\n"), "\r\nOK\r\n");  // no reboot: echo still off
}

TEST_F(WizFi360Services, CiupdateRefusedIsError) {
  const auto closed = free_tcp_port();
  auto c = start_joined({{"down.lab", "127.0.0.1:" + std::to_string(closed)}});
  EXPECT_EQ(ask(c, "AT+CIUPDATE=\"http://down.lab/fw.img\"\r\n", "\r\nERROR\r\n"), "+CIPUPDATE:1\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Services, CiupdateAnswersBusyWhileItRuns) {
  tcp::acceptor mute(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));  // accepts, never answers
  auto c = start_joined({{"mute.lab", "127.0.0.1:" + std::to_string(mute.local_endpoint().port())}},
                        {"services.update_timeout_ms=300"});
  c.write("AT+CIUPDATE=\"http://mute.lab/fw.img\"\r\n");
  EXPECT_EQ(c.read_until("+CIPUPDATE:2\r\n"), "+CIPUPDATE:1\r\n+CIPUPDATE:2\r\n");
  EXPECT_EQ(ask(c, "AT\r\n", "busy p...\r\n"), "\r\nbusy p...\r\n");
  EXPECT_EQ(c.read_until("\r\nERROR\r\n"), "\r\nERROR\r\n");
}

}  // namespace
}  // namespace simdev::test
