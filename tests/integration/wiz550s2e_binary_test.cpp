// The real simdev binary as a WIZ550S2E: serial over its pty, data over real loopback sockets.
#include <thread>

#include <gtest/gtest.h>

#include "libsim/control/control_client.hpp"
#include "libsim/control/control_endpoint.hpp"
#include "tests/support/serial_client.hpp"
#include "tests/support/simdev_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

namespace simdev::test {
namespace {

constexpr std::string_view kBanner = "\r\n\r\n\r\n[W,0]\r\n[S,0]\r\n";

class Wiz550s2eBinary : public ::testing::Test {
 protected:
  std::unique_ptr<SimdevProcess> start(const std::string& timing, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--device", "wiz550s2e", "--serial", "pty:" + (dir / "tty").string(),
                                  "--timing", timing, "--flash", (dir / "s2e.flash.json").string(),
                                  "--set", R"(network.listen_map={"5000":0})"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto p = std::make_unique<SimdevProcess>(args);
    EXPECT_TRUE(p->wait_ready()) << p->stderr_text();
    return p;
  }
  std::uint16_t data_port(const SimdevProcess& p) { return p.device()["listeners"][0]["port"].get<std::uint16_t>(); }
  // Silence on the line is the stimulus the trigger code measures, so this wait is the behaviour under test.
  static void quiet(std::chrono::milliseconds span) { std::this_thread::sleep_for(span); }

  TempDir dir;
};

TEST_F(Wiz550s2eBinary, ServerModeWithPasswordMovesDataBothWays) {
  auto p = start("fast");
  auto serial = SerialClient::open_pty((dir / "tty").string());
  auto peer = SerialClient::connect_tcp(data_port(*p));
  peer.write("WIZnetHello");
  EXPECT_EQ(serial.read_until("Hello"), "Hello");
  serial.write("World");
  EXPECT_EQ(peer.read_until("World"), "World");
}

TEST_F(Wiz550s2eBinary, MsaveAndMrstPersistAcrossARestart) {
  std::vector<std::string> quick{"--set", "timing.trigger_guard_before_ms=100", "--set",
                                 "timing.trigger_guard_after_ms=100"};
  {
    auto p = start("fast", quick);
    auto serial = SerialClient::open_pty((dir / "tty").string());
    quiet(150ms);
    serial.write("+++");
    ASSERT_EQ(serial.read_until(kBanner), kBanner);
    serial.write("AT+NSET-2,10.1.2.3\n");
    EXPECT_EQ(serial.read_until("[S]\r\n"), "[S]\r\n");
    serial.write("AT+MSAVE\n");
    EXPECT_EQ(serial.read_until("[S]\r\n"), "[S]\r\n");
    serial.write("AT+MRST\n");
    EXPECT_EQ(serial.read_until("[S]\r\n"), "[S]\r\n");
    EXPECT_EQ(p->terminate(), 0);
  }
  auto p = start("fast", quick);
  auto serial = SerialClient::open_pty((dir / "tty").string());
  quiet(150ms);
  serial.write("+++");
  ASSERT_EQ(serial.read_until(kBanner), kBanner);
  serial.write("AT+NSET?2\n");
  EXPECT_EQ(serial.read_until("]\r\n"), "[S,,10.1.2.3]\r\n");
}

TEST_F(Wiz550s2eBinary, PlusPlusPlusAfter495msOfSilenceIsData) {
  auto p = start("wire");
  auto serial = SerialClient::open_pty((dir / "tty").string());
  serial.write("x");
  quiet(495ms);
  serial.write("+++");
  EXPECT_EQ(serial.read_for(700ms), "");
}

TEST_F(Wiz550s2eBinary, PlusPlusPlusAfter505msOfSilenceEntersAtMode) {
  auto p = start("wire");
  auto serial = SerialClient::open_pty((dir / "tty").string());
  serial.write("x");
  quiet(505ms);
  serial.write("+++");
  EXPECT_EQ(serial.read_until(kBanner, 2s), kBanner);
}

}  // namespace
}  // namespace simdev::test

namespace simdev::test {
namespace {

std::string sha256(const std::string& data);

std::string payload(std::size_t size) {
  std::string out(size, '\0');
  std::uint32_t x = 2463534242u;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  out[0] = 'A';  // a leading '+' after a quiet line would start a trigger attempt
  return out;
}

// Collects exactly `size` bytes (or whatever arrived by the deadline).
std::string collect(SerialClient& from, std::size_t size, std::chrono::seconds deadline) {
  std::string got;
  auto end = std::chrono::steady_clock::now() + deadline;
  while (got.size() < size && std::chrono::steady_clock::now() < end) got += from.read_for(50ms);
  return got;
}

TEST_F(Wiz550s2eBinary, TenMegabytesEachWayThroughServerModeArriveIntact) {
  const std::string control = "unix:" + (dir / "ctl").string();
  auto p = start("fast", {"--set", R"(factory.pw_connect="")", "--control", control});
  auto serial = SerialClient::open_pty((dir / "tty").string());
  auto peer = SerialClient::connect_tcp(data_port(*p));
  const std::string data = payload(10 * 1024 * 1024);
  // The module drops serial data while unconnected, so wait until it reports the peer (status 1).
  ASSERT_TRUE(wait_until(
      [&] {
        const auto reply = nlohmann::json::parse(control::send_request(
            control::ControlEndpoint::parse(control), R"({"op":"state","device":"wiz550s2e"})"));
        return reply["devices"]["wiz550s2e"].value("status", 0) == 1;
      },
      5s));

  std::thread to_network([&] { serial.write(data); });
  std::string at_peer = collect(peer, data.size(), 60s);
  to_network.join();
  EXPECT_EQ(at_peer.size(), data.size());
  EXPECT_EQ(sha256(at_peer), sha256(data));

  std::thread to_serial([&] { peer.write(data); });
  std::string at_serial = collect(serial, data.size(), 60s);
  to_serial.join();
  EXPECT_EQ(at_serial.size(), data.size());
  EXPECT_EQ(sha256(at_serial), sha256(data));
}

}  // namespace
}  // namespace simdev::test

#include <openssl/evp.h>

namespace simdev::test {
namespace {
std::string sha256(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}
}  // namespace
}  // namespace simdev::test
