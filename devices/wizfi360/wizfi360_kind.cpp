#include "devices/wizfi360/wizfi360_kind.hpp"

#include <stdexcept>

#include "devices/wizfi360/config.hpp"
#include "devices/wizfi360/module.hpp"
#include "libsim/config/config_error.hpp"

namespace simdev::wizfi360 {
namespace {

std::unique_ptr<Device> create(DeviceContext ctx) {
  try {
    Config config = load_config(ctx.config);
    return std::make_unique<Module>(std::move(ctx), std::move(config));
  } catch (const std::invalid_argument& e) {
    // A bad value in the device's settings (or its radio world) is a configuration error: exit 2, not 1.
    throw config::ConfigError(std::string("config: ") + e.what());
  }
}

}  // namespace

const DeviceKind& kind() {
  static const DeviceKind k{"wizfi360", "wizfi360", "simdev.wizfi360.flash", 1, &create};
  return k;
}

}  // namespace simdev::wizfi360
