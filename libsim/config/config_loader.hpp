#pragma once
// Builds a RuntimeConfig from the kinds' embedded defaults, an optional user config file and command-line
// overrides, in that order of precedence (later wins). See docs/CONFIG.md for the file schema.
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/config/runtime_config.hpp"
#include "libsim/runtime/device.hpp"

namespace simdev::config {

// Reads and parses a config file; ConfigError names the file and the parse position.
nlohmann::json read_config_file(const std::filesystem::path& path);

// `user` is the parsed config file (null when there is none). Throws ConfigError naming the bad field.
RuntimeConfig build_config(const nlohmann::json& user, const Overrides& overrides,
                           const std::vector<const DeviceKind*>& kinds);

}  // namespace simdev::config
