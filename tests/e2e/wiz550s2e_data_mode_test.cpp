// The real simdev binary as a WIZ550S2E in data mode: its pty on one side, real loopback peers (TCP, UDP,
// mosquitto) on the other.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "tests/e2e/wiz550s2e_peers.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/serial_client.hpp"
#include "tests/support/simdev_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace simdev::test {
namespace {

constexpr std::string_view kBanner = "\r\n\r\n\r\n[W,0]\r\n[S,0]\r\n";
// The module's factory remote address; tests map it onto loopback.
constexpr const char* kRemote = "192.168.11.101";

std::vector<std::string> set(const std::string& key, const std::string& json) { return {"--set", key + "=" + json}; }

class Wiz550s2eDataMode : public ::testing::Test {
 protected:
  std::unique_ptr<SimdevProcess> start(std::vector<std::vector<std::string>> settings) {
    std::vector<std::string> args{"--device", "wiz550s2e", "--serial", "pty:" + (dir / "tty").string(),
                                  "--timing", "fast", "--flash", (dir / "s2e.flash.json").string()};
    for (auto& s : settings) args.insert(args.end(), s.begin(), s.end());
    auto p = std::make_unique<SimdevProcess>(args);
    EXPECT_TRUE(p->wait_ready()) << p->stderr_text();
    return p;
  }
  // Host port of the module's listener (TCP or UDP) for its device port 5000.
  static std::uint16_t host_port(const SimdevProcess& p, const std::string& proto) {
    const auto device = p.device();
    for (auto& l : device["listeners"])
      if (l.value("proto", "tcp") == proto) return l["port"].get<std::uint16_t>();
    ADD_FAILURE() << "no " << proto << " listener in " << device.dump();
    return 0;
  }
  SerialClient serial() { return SerialClient::open_pty((dir / "tty").string()); }

  TempDir dir;
};

// ---- TCP server with connection password ----

class Wiz550s2eServerPassword : public Wiz550s2eDataMode {
 protected:
  void SetUp() override {
    p = start({set("network.listen_map", R"({"5000":0})"), set("timing.auth_timeout_ms", "300")});
  }
  std::unique_ptr<SimdevProcess> p;
};

TEST_F(Wiz550s2eServerPassword, RightPasswordOpensBothDirections) {
  auto tty = serial();
  auto peer = SerialClient::connect_tcp(host_port(*p, "tcp"));
  peer.write("WIZnetHello");
  EXPECT_EQ(tty.read_until("Hello"), "Hello");
  tty.write("World");
  EXPECT_EQ(peer.read_until("World"), "World");
}

TEST_F(Wiz550s2eServerPassword, WrongPasswordIsDisconnectedSilently) {
  auto tty = serial();
  auto peer = SerialClient::connect_tcp(host_port(*p, "tcp"));
  peer.write("WIZnex");
  EXPECT_TRUE(closed_by_peer(peer.fd(), 3s));
}

TEST_F(Wiz550s2eServerPassword, IncompletePasswordTimesOut) {
  auto tty = serial();
  auto peer = SerialClient::connect_tcp(host_port(*p, "tcp"));
  peer.write("WIZ");
  EXPECT_TRUE(closed_by_peer(peer.fd(), 3s));
}

TEST_F(Wiz550s2eServerPassword, SerialDataWaitingForAuthenticationNeverReachesAPeerThatTimesOut) {
  auto tty = serial();
  auto peer = SerialClient::connect_tcp(host_port(*p, "tcp"));
  peer.write("WIZ");
  tty.write("held");
  std::string got;
  bool closed = false;
  char buf[64];
  while (!closed && readable(peer.fd(), 3s)) {
    auto n = ::recv(peer.fd(), buf, sizeof buf, 0);
    if (n <= 0) closed = true;
    else got.append(buf, static_cast<std::size_t>(n));
  }
  EXPECT_TRUE(closed);
  EXPECT_EQ(got, "");
}

// ---- TCP client, mixed, UDP ----

TEST_F(Wiz550s2eDataMode, ClientReconnectsAfterThePeerRestarts) {
  const auto port = free_tcp_port();
  auto p = start({set("factory.working_mode", R"("client")"), set("factory.reconnection", "50"),
                  set("network.address_map", R"({")" + std::string(kRemote) + R"(:5000":"127.0.0.1:)" +
                                                 std::to_string(port) + R"("})")});
  auto tty = serial();
  {
    TcpListener first(port);
    Connection c(first.accept(5s));
    ASSERT_TRUE(c.valid());
    c.write("one");
    EXPECT_EQ(tty.read_until("one"), "one");
  }  // the peer goes away: connection and listener closed
  TcpListener second(port);
  Connection c(second.accept(5s));
  ASSERT_TRUE(c.valid());
  c.write("two");
  EXPECT_EQ(tty.read_until("two"), "two");
  tty.write("back");
  EXPECT_EQ(c.read(4), "back");
}

TEST_F(Wiz550s2eDataMode, MixedModeDialsOutWhenSerialDataIsPending) {
  const auto port = free_tcp_port();
  TcpListener remote(port);
  auto p = start({set("factory.working_mode", R"("mixed")"), set("factory.reconnection", "0"),
                  set("network.listen_map", R"({"5000":0})"),
                  set("network.address_map", R"({")" + std::string(kRemote) + R"(:5000":"127.0.0.1:)" +
                                                 std::to_string(port) + R"("})")});
  auto tty = serial();
  tty.write("dial");
  Connection c(remote.accept(5s));
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(c.read(4), "dial");
  c.write("answer");
  EXPECT_EQ(tty.read_until("answer"), "answer");
}

TEST_F(Wiz550s2eDataMode, UdpRepliesGoToTheLearnedSourcePort) {
  auto p = start({set("factory.working_mode", R"("udp")"), set("network.listen_map", R"({"5000":0})"),
                  set("network.address_map", R"({")" + std::string(kRemote) + R"(":"127.0.0.1"})")});
  auto tty = serial();
  UdpPeer peer;
  peer.send_to(host_port(*p, "udp"), "ping");
  EXPECT_EQ(tty.read_until("ping"), "ping");
  tty.write("pong");
  EXPECT_EQ(peer.receive(5s), "pong");
}

// ---- MQTT against a real broker ----

// `mosquitto_sub` as a child process; construction returns once the broker acknowledged the subscription.
class MosquittoSub {
 public:
  MosquittoSub(std::uint16_t port, const std::string& topic) {
    // Line-buffered: a piped mosquitto_sub would otherwise hold the SUBACK line until it exits.
    std::string cmd = "stdbuf -oL mosquitto_sub -d -h 127.0.0.1 -p " + std::to_string(port) + " -t '" + topic +
                      "' -C 1 -W 10 2>&1";
    pipe_ = ::popen(cmd.c_str(), "r");
    while (auto line = next_line())
      if (line->rfind("Subscribed", 0) == 0) return;
  }
  ~MosquittoSub() {
    if (pipe_) ::pclose(pipe_);
  }
  MosquittoSub(const MosquittoSub&) = delete;
  MosquittoSub& operator=(const MosquittoSub&) = delete;
  // The payload lines printed until the program exits (after one message or its own 10 s deadline).
  std::string payloads() {
    std::string out;
    while (auto line = next_line())
      if (line->rfind("Client ", 0) != 0) out += *line;
    return out;
  }

 private:
  std::optional<std::string> next_line() {
    char buf[512];
    if (!pipe_ || !std::fgets(buf, sizeof buf, pipe_)) return std::nullopt;
    return std::string(buf);
  }
  FILE* pipe_ = nullptr;
};

void mosquitto_pub(std::uint16_t port, const std::string& topic, const std::string& message, bool retain) {
  std::string cmd = "mosquitto_pub -h 127.0.0.1 -p " + std::to_string(port) + " -t '" + topic + "' -m '" +
                    message + "'" + (retain ? " -r" : "");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

class Wiz550s2eMqtt : public Wiz550s2eDataMode {
 protected:
  // Starts the module in MQTT mode and returns once it is subscribed: a retained message on its
  // subscribe topic reaches the serial side only then.
  void start_subscribed() {
    mosquitto_pub(broker.plain_port(), "s2e/in", "ready", true);
    p = start({set("factory.working_mode", R"("mqtt")"), set("factory.reconnection", "50"),
               set("factory.remote_ip", R"("192.168.11.50")"), set("factory.remote_port", "1883"),
               set("factory.mqtt_subscribe_topic", R"("s2e/in")"), set("factory.mqtt_publish_topic", R"("s2e/out")"),
               set("network.address_map",
                   R"({"192.168.11.50:1883":"127.0.0.1:)" + std::to_string(broker.plain_port()) + R"("})")});
    tty.emplace(serial());
    ASSERT_EQ(tty->read_until("ready"), "ready");
  }
  MosquittoBroker broker;
  std::unique_ptr<SimdevProcess> p;
  std::optional<SerialClient> tty;
};

TEST_F(Wiz550s2eMqtt, PublishedMessageArrivesOnSerialAsRawBytes) {
  start_subscribed();
  mosquitto_pub(broker.plain_port(), "s2e/in", "down-link", false);
  EXPECT_EQ(tty->read_until("down-link"), "down-link");
}

TEST_F(Wiz550s2eMqtt, SerialDataIsPublishedToThePublishTopic) {
  start_subscribed();
  MosquittoSub sub(broker.plain_port(), "s2e/out");
  tty->write("up-link");
  EXPECT_EQ(sub.payloads(), "up-link\n");
}

// §6: the CONNECT carries MQTT 3.1.1, clean session, keep-alive 60, the module name as client id and both
// credential flags even though user name and password are empty (flags byte C2). A raw listener owned by the
// test plays the broker so the exact bytes can be checked.
TEST_F(Wiz550s2eDataMode, MqttConnectCarriesModuleNameAndEmptyCredentials) {
  const auto port = free_loopback_port();
  TcpListener broker(port);
  auto p = start({set("factory.working_mode", R"("mqtt")"), set("factory.remote_ip", R"("192.168.11.50")"),
                  set("factory.remote_port", "1883"),
                  set("network.address_map", R"({"192.168.11.50:1883":"127.0.0.1:)" + std::to_string(port) + R"("})")});
  Connection module(broker.accept(std::chrono::seconds(5)));
  ASSERT_TRUE(module.valid());
  const std::string expected("\x10\x19\x00\x04MQTT\x04\xc2\x00\x3c\x00\x09WIZ550S2E\x00\x00\x00\x00", 27);
  EXPECT_EQ(module.read(expected.size()), expected);
}

// ---- EEPROM persistence across a process restart ----

// The object in the flash file that holds the module's settings (wherever the store nests it).
const nlohmann::json* find_settings(const nlohmann::json& j) {
  if (!j.is_object()) return nullptr;
  if (j.contains("working_mode") && j.contains("local_ip")) return &j;
  for (auto& [key, value] : j.items())
    if (auto found = find_settings(value)) return found;
  return nullptr;
}

class Wiz550s2ePersistence : public Wiz550s2eDataMode {
 protected:
  std::unique_ptr<SimdevProcess> boot() {
    return start({set("network.listen_map", R"({"5000":0,"6000":0})"), set("timing.trigger_guard_before_ms", "50"),
                  set("timing.trigger_guard_after_ms", "50")});
  }
  // Silence on the line is the stimulus the trigger code measures, so this wait is the behaviour used.
  static void enter_at_mode(SerialClient& tty) {
    std::this_thread::sleep_for(80ms);
    tty.write("+++");
    ASSERT_EQ(tty.read_until(kBanner), kBanner);
  }
};

TEST_F(Wiz550s2ePersistence, MsaveAndMrstSurviveANewProcessOnTheSameFlashFile) {
  {
    auto p = boot();
    auto tty = serial();
    enter_at_mode(tty);
    tty.write("AT+NSET-2,10.1.2.3\n");
    EXPECT_EQ(tty.read_until("]\r\n"), "[S]\r\n");
    tty.write("AT+MMODE=U,6000,192.168.11.7,7000\n");
    EXPECT_EQ(tty.read_until("]\r\n"), "[S]\r\n");
    tty.write("AT+MSAVE\n");
    EXPECT_EQ(tty.read_until("]\r\n"), "[S]\r\n");
    tty.write("AT+MRST\n");
    EXPECT_EQ(tty.read_until("]\r\n"), "[S]\r\n");
    EXPECT_EQ(p->terminate(), 0);
  }
  auto flash = nlohmann::json::parse(read_file(dir / "s2e.flash.json"));
  const auto* saved = find_settings(flash);
  ASSERT_NE(saved, nullptr) << flash.dump();
  EXPECT_EQ((*saved)["local_ip"], "10.1.2.3");
  EXPECT_EQ((*saved)["working_mode"], "udp");
  EXPECT_EQ((*saved)["local_port"], 6000);
  EXPECT_EQ((*saved)["remote_ip"], "192.168.11.7");
  EXPECT_EQ((*saved)["remote_port"], 7000);

  auto p = boot();
  auto tty = serial();
  enter_at_mode(tty);
  tty.write("AT+NSET?2\n");
  EXPECT_EQ(tty.read_until("]\r\n"), "[S,,10.1.2.3]\r\n");
  tty.write("AT+MMODE?\n");
  EXPECT_EQ(tty.read_until("]\r\n"), "[S,,U,6000,192.168.11.7,7000]\r\n");
}

}  // namespace
}  // namespace simdev::test
