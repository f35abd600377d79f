#pragma once
// Configuration-tool tests against running modules: real devices on one io_context sharing one loopback UDP port
// (ephemeral), a real UDP client on 127.0.0.1 playing the tool, flash files in a temporary directory.
#include <fstream>

#include <gtest/gtest.h>
#include <boost/asio/ip/udp.hpp>

#include "devices/wiz550s2e/config_tool_codec.hpp"
#include "devices/wiz550s2e/config_tool_requests.hpp"
#include "devices/wiz550s2e/device_config.hpp"
#include "devices/wiz550s2e/eeprom_image.hpp"
#include "devices/wiz550s2e/wiz550s2e_kind.hpp"
#include "libsim/net/shared_udp_port.hpp"
#include "tests/conformance/wiz550s2e/harness.hpp"

namespace simdev::wiz550s2e::config_tool {

using namespace std::chrono_literals;
using boost::asio::ip::udp;

constexpr Mac kMacA{0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x8a};
constexpr Mac kMacB{0x00, 0x08, 0xdc, 0x00, 0x00, 0x02};

struct Module {
  simdev::test::MemorySerial serial;
  std::unique_ptr<net::VirtualNetwork> net;
  std::unique_ptr<store::FlashStore> flash;
  std::unique_ptr<Device> device;
  std::filesystem::path flash_path;

  std::string mode() const { return device->state().at("mode").get<std::string>(); }
};

class ConfigToolDevice : public ::testing::Test {
 protected:
  ~ConfigToolDevice() override {
    for (auto& m : modules_) m->device->shutdown();
    modules_.clear();
    io.restart();
    io.poll();
  }

  // `overrides` is merged over the test configuration; `flash_path` reuses a flash file (another module's).
  Module& add_module(const Mac& mac, nlohmann::json network = nlohmann::json::object(),
                     const nlohmann::json& overrides = nlohmann::json::object(),
                     std::filesystem::path flash_path = {}) {
    auto m = std::make_unique<Module>();
    nlohmann::json config = test::fast_timing();
    config["mac"] = to_string(mac);
    config["config_tool"] = {{"bind", "127.0.0.1:0"}, {"tftp_timeout_ms", 100}, {"tftp_retries", 2}};
    config.merge_patch(overrides);
    network["listen_map"] = {{"5000", 0}};
    m->net = std::make_unique<net::VirtualNetwork>(io.get_executor(), net::NetConfig::from_json(network),
                                                   "s2e-" + std::to_string(modules_.size()), tracer, log);
    m->flash_path = flash_path.empty() ? dir / ("flash-" + std::to_string(modules_.size()) + ".json") : flash_path;
    m->flash = std::make_unique<store::FlashStore>(store::FlashOptions{m->flash_path}, kind().flash_schema,
                                                   kind().flash_version, log);
    DeviceContext ctx;
    ctx.executor = io.get_executor();
    ctx.name = "s2e-" + std::to_string(modules_.size());
    ctx.config = config;
    ctx.timing = TimingMode::fast;
    ctx.serial = &m->serial;
    ctx.net = m->net.get();
    ctx.flash = m->flash.get();
    ctx.tracer = &tracer;
    ctx.log = log;
    ctx.shared_udp = &shared;
    m->device = kind().create(std::move(ctx));
    m->device->power_on();
    Module& ref = *m;
    modules_.push_back(std::move(m));
    EXPECT_TRUE(run_until([&] { return ref.mode() == "data"; }));
    return ref;
  }

  std::uint16_t tool_port(Module& m) { return m.device->state()["config_tool"]["port"].get<std::uint16_t>(); }

  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 3000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return done();
      io.restart();
      io.run_one_for(5ms);
    }
    return true;
  }
  void run_for(std::chrono::milliseconds span) {
    const auto until = std::chrono::steady_clock::now() + span;
    run_until([&] { return std::chrono::steady_clock::now() >= until; }, span + 1000ms);
  }

  // The tool's side: one socket on an ephemeral loopback port.
  void send(std::uint16_t port, const Bytes& datagram) {
    client.send_to(boost::asio::buffer(datagram), udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }
  void start_receiving() {
    client.async_receive_from(boost::asio::buffer(buffer), from, [this](const boost::system::error_code& ec, std::size_t n) {
      if (ec) return;
      replies.emplace_back(buffer.begin(), buffer.begin() + static_cast<long>(n));
      reply_ports.push_back(from.port());
      start_receiving();
    });
  }
  std::vector<Bytes> collect(std::size_t count, std::chrono::milliseconds timeout = 3000ms) {
    run_until([&] { return replies.size() >= count; }, timeout);
    return std::exchange(replies, {});
  }

  Bytes request(std::uint8_t op, const Bytes& body, std::uint8_t valid = 0x80) {
    return encode({valid, 1, op, kRequest, 0}, body);
  }

  std::string at(Module& m, std::string_view line) {
    m.serial.feed(*m.device, line);
    run_until([&] { return m.serial.output.find("\r\n") != std::string::npos && m.serial.output.back() == '\n'; });
    run_for(5ms);
    return m.serial.take();
  }
  void enter_at_mode(Module& m) {
    run_for(40ms);
    m.serial.feed(*m.device, "+++");
    ASSERT_TRUE(run_until([&] { return m.serial.output.size() >= test::kBanner.size(); }));
    ASSERT_EQ(m.serial.take(), test::kBanner);
  }

  // B0 for `mac`: the whole reply datagram (empty when the module stayed silent).
  Bytes get_info(Module& m, const Mac& mac) {
    send(tool_port(m), request(op::get_info, get_info_body(mac)));
    auto got = collect(1);
    return got.empty() ? Bytes{} : got[0];
  }
  // The reply B0 gives for a module whose RAM config is `s`.
  static Bytes get_info_reply(const Settings& s, std::uint8_t valid = 0x80) {
    Bytes body(s.mac.begin(), s.mac.end());
    const Bytes image = to_image(s);
    body.insert(body.end(), image.begin(), image.end());
    return encode({valid, 1, op::get_info, kReply, 0}, body);
  }

  nlohmann::json flash_data(Module& m) {
    std::ifstream in(m.flash_path);
    return nlohmann::json::parse(in)["data"];
  }

  boost::asio::io_context io;
  simdev::test::TempDir dir;
  trace::Tracer tracer;
  std::shared_ptr<spdlog::logger> log = std::make_shared<spdlog::logger>("config-tool-test");
  net::SharedUdpPorts shared{io.get_executor(), log};
  udp::socket client{io, udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};
  std::array<std::uint8_t, 2048> buffer{};
  udp::endpoint from;
  std::vector<Bytes> replies;
  std::vector<std::uint16_t> reply_ports;
  std::vector<std::unique_ptr<Module>> modules_;
};

}  // namespace simdev::wiz550s2e::config_tool
