#pragma once
// Shared setup for integration tests: a scratch working directory, a simdev started in it with a control
// socket, and small helpers to query the control plane and to sync with the pty's attach state.
#include <memory>
#include <thread>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "libsim/control/control_client.hpp"
#include "tests/support/serial_client.hpp"
#include "tests/support/simdev_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

namespace simdev::test {

class SimdevFixture : public ::testing::Test {
 protected:
  std::string control_spec() const { return "unix:" + (dir_ / "ctl").string(); }

  // Starts simdev in the scratch dir with a control socket and the given extra flags; fails the test
  // unless READY arrives.
  SimdevProcess& start(std::vector<std::string> args) {
    args.push_back("--control");
    args.push_back(control_spec());
    process_ = std::make_unique<SimdevProcess>(args, dir_.path());
    const auto ready = process_->wait_ready();
    EXPECT_TRUE(ready.has_value()) << process_->stderr_text();
    return *process_;
  }
  // A fast-timing WizFi360 with a short boot, the most common subject.
  SimdevProcess& start_wizfi360(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--device", "wizfi360", "--timing", "fast", "--set", "boot_delay_ms=20"};
    args.insert(args.end(), extra.begin(), extra.end());
    return start(args);
  }

  nlohmann::json control(const nlohmann::json& request) {
    const auto reply = control::send_request(control::ControlEndpoint::parse(control_spec()), request.dump());
    return nlohmann::json::parse(reply);
  }
  nlohmann::json serial_state(const std::string& device) {
    return control({{"op", "state"}, {"device", device}})["devices"][device]["serial"];
  }
  // Waits until the device's serial transport reports a client attached (or detached).
  bool wait_attached(const std::string& device, bool attached) {
    return wait_until([&] { return serial_state(device).value("attached", !attached) == attached; },
                      std::chrono::seconds(5));
  }
  // Attaches to a freshly booted device: opens the endpoint, resets the device and reads its boot banner.
  std::string attach_and_reboot(SerialClient& client, const std::string& device, std::string_view banner_end) {
    EXPECT_TRUE(wait_attached(device, true));
    // A power-up banner that went out after the attach would otherwise precede the reset's own: let the
    // power-up boot finish, then drop what it printed (already in the pty when the state reply arrives).
    EXPECT_TRUE(wait_until(
        [&] { return control({{"op", "state"}, {"device", device}})["devices"][device].value("mode", "") != "booting"; },
        std::chrono::seconds(5)));
    client.read_for(std::chrono::milliseconds(20));
    EXPECT_EQ(control({{"op", "reset"}, {"device", device}})["ok"], true);
    return client.read_until(banner_end);
  }

  TempDir dir_;
  std::unique_ptr<SimdevProcess> process_;
};

}  // namespace simdev::test
