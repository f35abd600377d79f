#pragma once
// The fully resolved configuration of one simdev process: every default applied, every value validated.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/runtime/device.hpp"
#include "libsim/serial/uart_settings.hpp"

namespace simdev::config {

struct DeviceConfig {
  std::string name;                 // unique in the process; names the pty link and the flash file by default
  std::string kind;                 // DeviceKind::name
  std::string serial = "pty";       // --serial SPEC
  std::filesystem::path flash;      // empty: settings live in memory only
  bool flash_reset = false;
  bool flash_readonly = false;
  TimingMode timing = TimingMode::wire;
  serial::UartSettings uart;        // from settings.uart
  nlohmann::json settings;          // kind defaults (configs/<kind>.json) merged with the user's settings + network
};

struct RuntimeConfig {
  std::vector<DeviceConfig> devices;
  std::string control;              // "unix:PATH", "tcp:HOST:PORT" or empty (no control plane)
  TimingMode timing = TimingMode::wire;
  std::string log_level = "info";
  std::string trace;                // JSON-lines trace file, empty: off
  std::string ready_file;
  std::string pid_file;
};

// Command-line values; each one set overrides the config file. Per-device ones need exactly one device.
struct Overrides {
  std::optional<std::string> device;  // kind
  std::optional<std::string> name;
  std::optional<std::string> serial;
  std::optional<std::string> flash;
  bool flash_reset = false;
  bool flash_readonly = false;
  std::vector<std::string> sets;      // "uart.baud=9600", "boot_delay_ms=20": dotted path = JSON value
  std::optional<std::string> timing;
  std::optional<std::string> control;
  std::optional<std::string> log_level;
  std::optional<std::string> trace;
  std::optional<std::string> ready_file;
  std::optional<std::string> pid_file;
};

}  // namespace simdev::config
