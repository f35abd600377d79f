#include "tests/conformance/wiz550s2e/harness.hpp"

#include <gtest/gtest.h>

#include "devices/wiz550s2e/wiz550s2e_kind.hpp"

namespace simdev::wiz550s2e::test {

nlohmann::json fast_timing() {
  return {{"timing",
           {{"trigger_guard_before_ms", 30},
            {"trigger_gap_ms", 30},
            {"trigger_guard_after_ms", 30},
            {"trigger_settle_ms", 1},
            {"auth_timeout_ms", 150},
            {"connect_timeout_ms", 300},
            {"mqtt_command_timeout_ms", 500},
            {"dns_timeout_ms", 300},
            {"dhcp_fallback_ms", 50},
            {"dhcp_lease_delay_ms", 5},
            {"inactivity_tick_ms", 50}}}};
}

Harness::Harness(nlohmann::json given, nlohmann::json network)
    : log(std::make_shared<spdlog::logger>("wiz550s2e-test")) {
  config = fast_timing();
  config.merge_patch(given);
  net = std::make_unique<net::VirtualNetwork>(io.get_executor(), net::NetConfig::from_json(network), "wiz550s2e",
                                              tracer, log);
  flash = std::make_unique<store::FlashStore>(store::FlashOptions{dir / "flash.json"}, kind().flash_schema,
                                              kind().flash_version, log);
  DeviceContext ctx;
  ctx.executor = io.get_executor();
  ctx.name = "wiz550s2e";
  ctx.config = config;
  ctx.timing = TimingMode::fast;
  ctx.serial = &serial;
  ctx.net = net.get();
  ctx.flash = flash.get();
  ctx.tracer = &tracer;
  ctx.log = log;
  device = kind().create(std::move(ctx));
}

Harness::~Harness() {
  device->shutdown();
  device.reset();
  io.restart();
  io.poll();
}

void Harness::power_on() {
  device->power_on();
  ASSERT_TRUE(run_until([&] { return mode() == "data"; })) << "module never reached data mode";
}

void Harness::reset() {
  device->hardware_reset();
  ASSERT_TRUE(run_until([&] { return mode() == "data"; })) << "module never came back to data mode";
}

std::string Harness::enter_at_mode() {
  advance(40ms);
  feed("+++");
  run_until([&] { return serial.output.size() >= kBanner.size(); }, 1000ms);
  return take();
}

void Harness::boot_into_at_mode() {
  power_on();
  ASSERT_EQ(enter_at_mode(), kBanner);
}

void Harness::feed(std::string_view bytes) { serial.feed(*device, bytes); }

std::string Harness::send(std::string_view bytes) {
  feed(bytes);
  io.restart();
  io.poll();
  return take();
}

bool Harness::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    io.restart();
    io.run_one_for(5ms);
  }
  return true;
}

void Harness::advance(std::chrono::milliseconds span) {
  auto until = std::chrono::steady_clock::now() + span;
  run_until([&] { return std::chrono::steady_clock::now() >= until; }, span + 1000ms);
}

std::string Harness::take_output(std::size_t n, std::chrono::milliseconds timeout) {
  run_until([&] { return serial.output.size() >= n; }, timeout);
  return take();
}

}  // namespace simdev::wiz550s2e::test
