// WizFi360 links in process, against a loopback listener of the test: the module runs on this thread's
// io_context with an in-memory serial port and a real VirtualNetwork, so the test can read the options of the host
// socket behind a link (CIPSTART keepalive, §2.3) and plant a held MQTT link (CIPSEND → use MQTTPUB, §1.8).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/wizfi360_kind.hpp"
#include "libsim/net/virtual_network.hpp"
#include "libsim/trace/tracer.hpp"
#include "libsim/util/embedded_config.hpp"
#include "tests/support/memory_serial.hpp"
#include "tests/support/wait.hpp"

namespace simdev::test {
namespace {

namespace asio = boost::asio;


class WizFi360LinksInProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = std::make_shared<spdlog::logger>("wizfi360-links", std::make_shared<spdlog::sinks::null_sink_mt>());
    nlohmann::json config = nlohmann::json::parse(embedded_config("wizfi360"));
    config.merge_patch({{"boot_delay_ms", 1}, {"timing", {{"join_ms", 1}, {"dhcp_ms", 1}}}});
    net_ = std::make_unique<net::VirtualNetwork>(io_.get_executor(), net::NetConfig{}, "wizfi360", tracer_, log);
    DeviceContext ctx;
    ctx.executor = io_.get_executor();
    ctx.name = "wizfi360";
    ctx.config = config;
    ctx.timing = TimingMode::fast;
    ctx.serial = &serial_;
    ctx.net = net_.get();
    ctx.log = log;
    device_ = wizfi360::kind().create(std::move(ctx));
    module_ = dynamic_cast<wizfi360::Module*>(device_.get());
    device_->power_on();
    ASSERT_EQ(output_until("ready\r\n"), "\xFC\r\nready\r\n");
    EXPECT_EQ(ask("ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
    EXPECT_EQ(ask("AT+CWMODE_CUR=1\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(ask("AT+CWJAP_CUR=\"WIZnet\",\"wiznet1234\"\r\n"), "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n");
    acceptor_.open(asio::ip::tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
  }

  void TearDown() override {
    device_->shutdown();
    io_.poll();
  }

  // Drives the loop until the output holds `end`; returns the output up to and including it.
  std::string output_until(std::string_view end) {
    wait_until(
        [&] {
          io_.restart();
          io_.run_for(std::chrono::milliseconds(1));
          pending_ += serial_.take();
          return pending_.find(end) != std::string::npos;
        },
        std::chrono::seconds(5), std::chrono::milliseconds(0));
    const auto at = pending_.find(end);
    std::string out = at == std::string::npos ? pending_ : pending_.substr(0, at + end.size());
    pending_.erase(0, out.size());
    return out;
  }

  std::string ask(std::string_view line, std::string_view end = "OK\r\n") {
    serial_.feed(*device_, line);
    return output_until(end);
  }

  std::string listener_port() const { return std::to_string(acceptor_.local_endpoint().port()); }

  static int int_option(int fd, int level, int name) {
    int value = -1;
    socklen_t len = sizeof value;
    EXPECT_EQ(::getsockopt(fd, level, name, &value, &len), 0);
    return value;
  }

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_{io_};
  trace::Tracer tracer_;
  MemorySerial serial_;
  std::unique_ptr<net::VirtualNetwork> net_;
  std::unique_ptr<Device> device_;
  wizfi360::Module* module_ = nullptr;
  std::string pending_;
};

TEST_F(WizFi360LinksInProcess, KeepaliveSetsSocketOptions) {
  EXPECT_EQ(ask("AT+CIPSTART=\"TCP\",\"127.0.0.1\"," + listener_port() + ",30\r\n"), "CONNECT\r\n\r\nOK\r\n");
  const int fd = module_->links().at(0).stream->native_handle();
  EXPECT_EQ(int_option(fd, SOL_SOCKET, SO_KEEPALIVE), 1);
  EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_KEEPIDLE), 30);
  EXPECT_EQ(int_option(fd, IPPROTO_TCP, TCP_KEEPINTVL), 30);
  EXPECT_EQ(module_->state()["tcpip"]["links"][0]["keepalive_s"], 30);
}

TEST_F(WizFi360LinksInProcess, NoKeepaliveLeavesItOff) {
  EXPECT_EQ(ask("AT+CIPSTART=\"TCP\",\"127.0.0.1\"," + listener_port() + "\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(int_option(module_->links().at(0).stream->native_handle(), SOL_SOCKET, SO_KEEPALIVE), 0);
}

TEST_F(WizFi360LinksInProcess, CipsendOnMqttLinkSaysUseMqttpub) {
  wizfi360::Link& link = module_->links().at(0);
  link.type = "MQTT";
  link.held = true;
  EXPECT_EQ(ask("AT+CIPSEND=4\r\n", "\r\nERROR\r\n"), "use MQTTPUB\r\n\r\nERROR\r\n");
  EXPECT_EQ(ask("AT+CIPSENDEX=4\r\n", "\r\nERROR\r\n"), "use MQTTPUB\r\n\r\nERROR\r\n");
  EXPECT_EQ(ask("AT+CIPSENDBUF=4\r\n", "\r\nERROR\r\n"), "use MQTTPUB\r\n\r\nERROR\r\n");
}

}  // namespace
}  // namespace simdev::test
