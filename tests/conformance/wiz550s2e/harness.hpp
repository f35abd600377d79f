#pragma once
// Drives one WIZ550S2E in process: a real io_context run in the test thread, the device fed through
// MemorySerial, a real VirtualNetwork on loopback, and shrunk timing constants.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "libsim/net/virtual_network.hpp"
#include "libsim/runtime/device.hpp"
#include "libsim/store/flash_store.hpp"
#include "libsim/trace/tracer.hpp"
#include "tests/support/memory_serial.hpp"
#include "tests/support/temp_dir.hpp"

namespace simdev::wiz550s2e::test {

using namespace std::chrono_literals;

// Timing constants small enough for fast tests; trigger guards of 30 ms.
nlohmann::json fast_timing();
// The 20-byte AT-mode entry banner.
inline constexpr std::string_view kBanner = "\r\n\r\n\r\n[W,0]\r\n[S,0]\r\n";

class Harness {
 public:
  // `config` is merged over fast_timing(); `network` is the "network" object (address map etc.).
  explicit Harness(nlohmann::json config = nlohmann::json::object(), nlohmann::json network = nullptr);
  ~Harness();

  // Boots the module and waits until it is in data mode.
  void power_on();
  // Hardware reset of the same device and flash (like a power cycle).
  void reset();
  // Quiet period, +++, quiet period: returns whatever the module printed (the banner on success).
  std::string enter_at_mode();
  // power_on() + enter_at_mode(), asserting the banner.
  void boot_into_at_mode();

  // Feeds bytes and returns what the module printed once the loop has settled.
  std::string send(std::string_view bytes);
  void feed(std::string_view bytes);
  // Runs the loop until `done` or the deadline; returns done().
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 3000ms);
  // Runs the loop for a span of time (for behaviour that is defined by the passing of time).
  void advance(std::chrono::milliseconds span);
  // Runs the loop until the serial output contains at least `n` bytes (or the deadline) and takes it.
  std::string take_output(std::size_t n, std::chrono::milliseconds timeout = 3000ms);
  std::string take() { return serial.take(); }

  nlohmann::json state() const { return device->state(); }
  std::string mode() const { return device->state().at("mode").get<std::string>(); }

  boost::asio::io_context io;
  simdev::test::MemorySerial serial;
  simdev::test::TempDir dir;
  trace::Tracer tracer;
  std::shared_ptr<spdlog::logger> log;
  std::unique_ptr<net::VirtualNetwork> net;
  std::unique_ptr<store::FlashStore> flash;
  std::unique_ptr<Device> device;
  nlohmann::json config;
};

}  // namespace simdev::wiz550s2e::test
