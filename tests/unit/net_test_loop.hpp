#pragma once
// Shared by the net_* and mqtt_* unit tests: one io_context driven from the test thread, a silent logger,
// and a VirtualNetwork built from a JSON "network" object.
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "libsim/net/virtual_network.hpp"
#include "libsim/trace/tracer.hpp"

namespace simdev::test {

// Runs the loop until `done` holds or the deadline passes; returns done().
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.restart();
    io.run_one_for(std::chrono::milliseconds(10));
  }
  return true;
}

class NetTest : public ::testing::Test {
 protected:
  std::unique_ptr<net::VirtualNetwork> make_network(const nlohmann::json& network = nullptr) {
    return std::make_unique<net::VirtualNetwork>(io.get_executor(), net::NetConfig::from_json(network), "test-device",
                                                 tracer, logger());
  }

  // Silent unless SIMDEV_TEST_LOG is set (then debug to stderr).
  static std::shared_ptr<spdlog::logger> logger() {
    auto log = std::make_shared<spdlog::logger>("net-test");
    if (std::getenv("SIMDEV_TEST_LOG") != nullptr) {
      log->sinks().push_back(std::make_shared<spdlog::sinks::stderr_sink_st>());
      log->set_level(spdlog::level::debug);
    }
    return log;
  }

  boost::asio::io_context io;
  trace::Tracer tracer;
};

}  // namespace simdev::test
