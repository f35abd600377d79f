#pragma once
// The "config_tool" object of a WIZ550S2E's configuration: where the shared configuration-tool port binds and
// the simulated bootloader's TFTP timing.
//   {"enabled": true, "bind": "127.0.0.1:6550", "tftp_timeout_ms": 1000, "tftp_retries": 5}
#include <chrono>

#include <nlohmann/json.hpp>

#include "libsim/net/host_port.hpp"

namespace simdev::wiz550s2e::config_tool {

struct ToolConfig {
  bool enabled = true;
  // Devices of one process that name the same bind share one socket (port 0: one ephemeral port for them all).
  net::HostPort bind{"127.0.0.1", 6550};
  std::chrono::milliseconds tftp_timeout{1000};  // per DATA block, then the last packet is sent again
  int tftp_retries = 5;
};

// `device_config` is the device's whole merged configuration. Throws std::invalid_argument naming the field.
ToolConfig load_tool_config(const nlohmann::json& device_config);

}  // namespace simdev::wiz550s2e::config_tool
