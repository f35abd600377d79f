#pragma once
// Everything configs/wiz550s2e.json (merged with the user's config) says about one module, as typed values.
#include <chrono>
#include <optional>

#include <nlohmann/json.hpp>

#include "devices/wiz550s2e/settings.hpp"

namespace simdev::wiz550s2e {

using Millis = std::chrono::milliseconds;

struct Timing {
  Millis trigger_guard_before{500};
  Millis trigger_gap{500};
  Millis trigger_guard_after{500};
  Millis trigger_settle{3};  // grace for bytes that arrived before a deadline but are delivered just after it
  Millis auth_timeout{5000};
  Millis connect_timeout{3000};
  Millis mqtt_command_timeout{1000};
  std::chrono::seconds mqtt_keepalive{60};
  Millis dns_timeout{9000};
  Millis dhcp_fallback{120000};
  Millis dhcp_lease_delay{50};
  Millis inactivity_tick{1000};
};

struct Quirks {
  bool trigger_stale_offset_hang = false;
  bool fdns_infinite_loop = false;
  bool fdns_query_fatal_hang = false;
  bool no_result_on_refused_connect = false;
  bool inactivity_immediate_drop = false;
  bool bootloader_mac_prompt = false;
};

// A lease the simulated DHCP server hands out; absent = no DHCP server answers (fallback to static).
struct DhcpLease {
  Ip4 ip{}, subnet{}, gateway{}, dns{};
};

struct DeviceConfig {
  Mac mac{};
  std::array<std::uint8_t, 3> firmware_version{1, 3, 1};
  Settings factory;  // MAC and version filled in
  Timing timing;
  Quirks quirks;
  std::optional<DhcpLease> dhcp_lease;
};

// Throws std::invalid_argument naming the offending key.
DeviceConfig load_device_config(const nlohmann::json& config);

}  // namespace simdev::wiz550s2e
