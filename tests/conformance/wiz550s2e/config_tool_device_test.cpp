// The configuration-tool responder inside running modules: real devices on one io_context sharing one loopback UDP
// port, a real UDP client, a real TFTP server. Set/reset/factory reset through reboots, flash and AT, discovery
// of two modules, and the firmware upload with and without a successful download.
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
#include "tests/support/tftp_server.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

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

  Module& add_module(const Mac& mac, nlohmann::json network = nlohmann::json::object()) {
    auto m = std::make_unique<Module>();
    nlohmann::json config = test::fast_timing();
    config["mac"] = to_string(mac);
    config["config_tool"] = {{"bind", "127.0.0.1:0"}, {"tftp_timeout_ms", 100}, {"tftp_retries", 2}};
    network["listen_map"] = {{"5000", 0}};
    m->net = std::make_unique<net::VirtualNetwork>(io.get_executor(), net::NetConfig::from_json(network),
                                                   "s2e-" + std::to_string(modules_.size()), tracer, log);
    m->flash_path = dir / ("flash-" + std::to_string(modules_.size()) + ".json");
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

TEST_F(ConfigToolDevice, TwoModulesAnswerOneSearchOnTheSharedPort) {
  Module& a = add_module(kMacA);
  Module& b = add_module(kMacB);
  ASSERT_EQ(tool_port(a), tool_port(b));
  start_receiving();
  send(tool_port(a), request(op::discover_all, {}));
  auto got = collect(2);
  std::sort(got.begin(), got.end());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], encode({0x80, 1, op::discover_all, kReply, 0}, discovery_reply({1, 3, 1}, kMacB)));
  EXPECT_EQ(got[1], encode({0x80, 1, op::discover_all, kReply, 0}, discovery_reply({1, 3, 1}, kMacA)));
}

TEST_F(ConfigToolDevice, RepliesLeaveFromTheSharedPortToTheRequester) {
  Module& a = add_module(kMacA);
  start_receiving();
  send(tool_port(a), request(op::discover_all, {}, 0x85));
  ASSERT_EQ(collect(1).size(), 1u);
  EXPECT_EQ(reply_ports, std::vector<std::uint16_t>{tool_port(a)});
}

TEST_F(ConfigToolDevice, ListenersReportTheSharedPort) {
  Module& a = add_module(kMacA);
  const auto listeners = a.device->listeners();
  ASSERT_FALSE(listeners.empty());
  EXPECT_EQ(listeners.back(), (nlohmann::json{{"device_port", 6550}, {"host", "127.0.0.1"}, {"port", tool_port(a)},
                                              {"proto", "udp"}, {"shared", true}}));
}

TEST_F(ConfigToolDevice, AnswersInAtMode) {
  Module& a = add_module(kMacA);
  enter_at_mode(a);
  start_receiving();
  send(tool_port(a), request(op::get_info, get_info_body(kMacA)));
  const auto got = collect(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].size(), 245u);
  EXPECT_EQ(a.mode(), "at");
}

TEST_F(ConfigToolDevice, SetInfoRebootsWithTheNewValuesOverAtAndInFlash) {
  Module& a = add_module(kMacA);
  Settings wanted = load_device_config({{"mac", to_string(kMacA)}}).factory;
  wanted.local_ip = {192, 168, 11, 7};
  wanted.working_mode = WorkingMode::udp;
  wanted.fw_ver = {0, 0, 0};
  start_receiving();
  send(tool_port(a), request(op::set_info, set_info_body(kMacA, "WIZnet", to_image(wanted))));
  ASSERT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(run_until([&] { return a.mode() == "data"; }));
  enter_at_mode(a);
  EXPECT_EQ(at(a, "AT+NSET?\n"), "[S,,S,192.168.11.7,255.255.255.0,192.168.11.1,8.8.8.8]\r\n");
  EXPECT_EQ(at(a, "AT+MMODE?\n"), "[S,,U,5000,192.168.11.101,5000]\r\n");
  const auto stored = flash_data(a);
  EXPECT_EQ(stored["local_ip"], "192.168.11.7");
  EXPECT_EQ(stored["working_mode"], "udp");
}

TEST_F(ConfigToolDevice, WrongPasswordLeavesTheModuleAlone) {
  Module& a = add_module(kMacA);
  enter_at_mode(a);
  start_receiving();
  send(tool_port(a), request(op::set_info, set_info_body(kMacA, "wrong", to_image(load_device_config({}).factory))));
  send(tool_port(a), request(op::reset, auth_body(kMacA, "wrong")));
  EXPECT_TRUE(collect(1, 200ms).empty());
  EXPECT_EQ(a.mode(), "at");
}

TEST_F(ConfigToolDevice, ResetRebootsIntoDataMode) {
  Module& a = add_module(kMacA);
  enter_at_mode(a);
  start_receiving();
  send(tool_port(a), request(op::reset, auth_body(kMacA, "WIZnet")));
  ASSERT_EQ(collect(1).size(), 1u);
  EXPECT_TRUE(run_until([&] { return a.mode() == "data"; }));
}

TEST_F(ConfigToolDevice, FactoryResetKeepsTheMac) {
  Module& a = add_module(kMacA);
  enter_at_mode(a);
  EXPECT_EQ(at(a, "AT+MNAME=LAB7\n"), "[S]\r\n");
  EXPECT_EQ(at(a, "AT+NMAC=00:08:dc:12:34:56\n"), "[S]\r\n");
  const Mac changed{0x00, 0x08, 0xdc, 0x12, 0x34, 0x56};
  start_receiving();
  send(tool_port(a), request(op::factory_reset, auth_body(changed, "WIZnet")));
  ASSERT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(run_until([&] { return a.mode() == "data"; }));
  send(tool_port(a), request(op::get_info, get_info_body(changed)));
  const auto got = collect(1);
  ASSERT_EQ(got.size(), 1u);
  Settings expected = load_device_config({}).factory;
  expected.mac = changed;
  Bytes body(changed.begin(), changed.end());
  const Bytes image = to_image(expected);
  body.insert(body.end(), image.begin(), image.end());
  EXPECT_EQ(got[0], encode({0x80, 1, op::get_info, kReply, 0}, body));
  EXPECT_EQ(flash_data(a)["mac"], "00:08:dc:12:34:56");
  EXPECT_EQ(flash_data(a)["module_name"], "WIZ550S2E");
}

class ConfigToolUpload : public ConfigToolDevice {
 protected:
  simdev::test::TftpServer tftp;
  Module& module() {
    return add_module(kMacA, {{"address_map", {{"192.168.11.50:69", "127.0.0.1:" + std::to_string(tftp.port())}}}});
  }
  Bytes upload_request(const std::string& file) {
    return request(op::upload_init, upload_body(kMacA, "WIZnet", {192, 168, 11, 50}, 6969, file), 0x8B);
  }
};

TEST_F(ConfigToolUpload, DownloadsByTftpThenReportsDoneAndStartsTheApplication) {
  Bytes image(1300);
  for (std::size_t i = 0; i < image.size(); ++i) image[i] = static_cast<std::uint8_t>(i * 7);
  tftp.add_file("app.bin", image);
  Module& a = module();
  start_receiving();
  send(tool_port(a), upload_request("app.bin"));
  const auto got = collect(2);
  ASSERT_EQ(got.size(), 2u);
  Bytes mac_body(kMacA.begin(), kMacA.end());
  EXPECT_EQ(got[0], encode({0x8B, 1, op::upload_init, kReply, 0}, mac_body));
  EXPECT_EQ(got[1], encode({0x8B, 1, op::upload_done, kReply, 0}, mac_body));
  EXPECT_EQ(tftp.requests(), std::vector<std::string>{"app.bin"});
  EXPECT_TRUE(run_until([&] { return a.mode() == "data"; }));
  const auto state = a.device->state()["config_tool"];
  EXPECT_EQ(state["firmware"]["file"], "app.bin");
  EXPECT_EQ(state["firmware"]["bytes"], 1300);
}

TEST_F(ConfigToolUpload, MissingFileKeepsTheOldFirmwareWithoutDoneReply) {
  Module& a = module();
  start_receiving();
  send(tool_port(a), upload_request("missing.bin"));
  EXPECT_EQ(collect(1).size(), 1u);  // the D1 acknowledgement
  ASSERT_TRUE(run_until([&] { return !a.device->state()["config_tool"]["last_update"].is_null(); }));
  const auto state = a.device->state()["config_tool"];
  EXPECT_EQ(state["last_update"]["ok"], false);
  EXPECT_EQ(state["last_update"]["error"], "server error 1: File not found");
  EXPECT_TRUE(state["firmware"].is_null());
  EXPECT_TRUE(run_until([&] { return a.mode() == "data"; }));
  EXPECT_TRUE(collect(1, 100ms).empty());  // no D2
}

TEST_F(ConfigToolUpload, StalledDownloadTimesOutAndKeepsTheOldFirmware) {
  tftp.add_file("big.bin", Bytes(2000, 0x55));
  tftp.stall_after_blocks(1);
  Module& a = module();
  start_receiving();
  send(tool_port(a), upload_request("big.bin"));
  EXPECT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(run_until([&] { return !a.device->state()["config_tool"]["last_update"].is_null(); }));
  const auto state = a.device->state()["config_tool"];
  EXPECT_EQ(state["last_update"]["error"], "timed out waiting for block 2");
  EXPECT_TRUE(state["firmware"].is_null());
  EXPECT_TRUE(run_until([&] { return a.mode() == "data"; }));
}

TEST_F(ConfigToolUpload, ModuleIsSilentWhileDownloading) {
  tftp.add_file("big.bin", Bytes(2000, 0x55));
  tftp.stall_after_blocks(1);
  Module& a = module();
  start_receiving();
  send(tool_port(a), upload_request("big.bin"));
  EXPECT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(a.device->state()["config_tool"]["updating"].get<bool>());
  send(tool_port(a), request(op::discover_all, {}));
  EXPECT_TRUE(collect(1, 100ms).empty());
}

}  // namespace
}  // namespace simdev::wiz550s2e::config_tool
