#pragma once
// Shared ground for the WizFi360 MQTT and cloud binary tests: a real mosquitto (plain, TLS, mutual TLS listeners on
// free loopback ports), the module started with virtual broker names mapped onto them, and mosquitto_sub /
// mosquitto_pub run as real clients.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <optional>

#include "tests/integration/simdev_fixture.hpp"
#include "tests/integration/wizfi360_pem_upload.hpp"
#include "tests/support/certs_authority.hpp"
#include "tests/support/mosquitto_broker.hpp"

extern char** environ;

namespace simdev::test {

inline constexpr std::string_view kWizFiBanner = "\xFC\r\nready\r\n";

// A mosquitto_sub running in the background until it got its messages (-C) or its -W timeout ran out.
class BackgroundSubscriber {
 public:
  // `args` follow "mosquitto_sub -i <id>"; waits until the broker sent the SUBACK.
  BackgroundSubscriber(const MosquittoBroker& broker, const std::filesystem::path& output, std::string id,
                       std::vector<std::string> args)
      : output_(output) {
    std::vector<std::string> argv{"mosquitto_sub", "-i", id, "-W", "10"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawnp(&pid_, "mosquitto_sub", &actions, nullptr, raw.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    subscribed_ = wait_until([&] { return broker.log().find("Sending SUBACK to " + id) != std::string::npos; },
                             std::chrono::seconds(5));
  }
  ~BackgroundSubscriber() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  BackgroundSubscriber(const BackgroundSubscriber&) = delete;
  BackgroundSubscriber& operator=(const BackgroundSubscriber&) = delete;

  bool subscribed() const { return subscribed_; }
  // Waits for the subscriber to exit (it stops after its -C count) and returns what it printed.
  std::string output() {
    if (pid_ > 0) {
      wait_until([&] { return waitpid(pid_, nullptr, WNOHANG) == pid_; }, std::chrono::seconds(10));
      pid_ = -1;
    }
    return read_file(output_);
  }

 private:
  std::filesystem::path output_;
  pid_t pid_ = -1;
  bool subscribed_ = false;
};

class WizFi360MqttFixture : public SimdevFixture {
 protected:
  // Names the module uses for the broker: each maps (with its port) to one listener of the test's broker.
  static constexpr const char* kPlainBroker = "broker.example";
  static constexpr const char* kTlsBroker = "secure.example";
  static constexpr const char* kMutualBroker = "mtls.example";
  static constexpr const char* kAuthBroker = "auth.example";  // needs MosquittoBroker::kAuthUser / kAuthPassword
  static constexpr const char* kAzureHub = "simhub";  // simhub.azure-devices.net
  static constexpr const char* kAwsEndpoint = "a1b2c3-ats.iot.eu-west-1.amazonaws.com";

  // Writes the flash file the module boots from (certificates, CIPSSLCCONF).
  void write_flash(const nlohmann::json& settings) {
    write_file(dir_ / "wizfi360.flash.json",
               nlohmann::json{{"schema", "simdev.wizfi360.flash"}, {"version", 1}, {"data", {{"settings", settings}}}}
                   .dump());
  }

  // Starts the module with the broker names mapped, echo off. `map` adds or overrides address-map rules.
  SerialClient start_module(nlohmann::json map = nlohmann::json::object(), std::vector<std::string> extra = {}) {
    const std::string loopback = "127.0.0.1:";
    nlohmann::json rules = {{kPlainBroker, loopback + std::to_string(broker_.plain_port())},
                            {kTlsBroker, loopback + std::to_string(broker_.tls_port())},
                            {kMutualBroker, loopback + std::to_string(broker_.mtls_port())},
                            {kAuthBroker, loopback + std::to_string(broker_.auth_port())},
                            {"*.azure-devices.net", loopback + std::to_string(broker_.tls_port())},
                            {kAwsEndpoint, loopback + std::to_string(broker_.mtls_port())}};
    rules.merge_patch(map);
    std::vector<std::string> args{"--set", "mqtt.connect_fail_delay_ms=10", "--set", "mqtt.connect_timeout_ms=3000",
                                  "--set", "mqtt.misc_interval_ms=50", "--set", "network.address_map=" + rules.dump()};
    args.insert(args.end(), extra.begin(), extra.end());
    start_wizfi360(args);
    auto c = SerialClient::open_pty(process_->pty_link());
    EXPECT_EQ(attach_and_reboot(c, "wizfi360", "ready\r\n"), kWizFiBanner);
    EXPECT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
    return c;
  }

  static std::string ask(SerialClient& c, std::string_view line, std::string_view end = "OK\r\n") {
    c.write(line);
    return c.read_until(end);
  }

  // A client id no other test of this process uses (mosquitto drops the older of two equal ids).
  static std::string unique_id(const std::string& stem) {
    static std::atomic<int> counter{0};
    return stem + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
  }

  BackgroundSubscriber subscribe(const std::string& topic, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"-h", "127.0.0.1", "-p", std::to_string(broker_.plain_port()), "-t", topic, "-C", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    return BackgroundSubscriber(broker_, dir_ / ("sub-" + std::to_string(++subscribers_) + ".txt"), unique_id("sub"),
                                args);
  }

  // mosquitto_pub on the plain listener; true when it exited 0.
  bool publish(const std::string& topic, const std::string& message, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{"mosquitto_pub", "-h", "127.0.0.1", "-p", std::to_string(broker_.plain_port()),
                                  "-t", topic, "-m", message};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_program(argv, dir_ / "pub.log") == 0;
  }

  // The device's view of its links (tcpip part of the state), e.g. for the local port of the MQTT link.
  nlohmann::json links_state() { return control({{"op", "state"}, {"device", "wizfi360"}})["devices"]["wizfi360"]["tcpip"]; }

  MosquittoBroker broker_;
  int subscribers_ = 0;
};

}  // namespace simdev::test
