#pragma once
// A configuration or usage problem. The message names the field or flag ("config: devices[1].serial: ...",
// "--timing: ..."); the program prints it and exits 2.
#include <stdexcept>
#include <string>

namespace simdev::config {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace simdev::config
