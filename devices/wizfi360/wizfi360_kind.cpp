#include "devices/wizfi360/wizfi360_kind.hpp"

#include "devices/wizfi360/config.hpp"
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {
namespace {

std::unique_ptr<Device> create(DeviceContext ctx) {
  Config config = load_config(ctx.config);
  return std::make_unique<Module>(std::move(ctx), std::move(config));
}

}  // namespace

const DeviceKind& kind() {
  static const DeviceKind k{"wizfi360", "wizfi360", "simdev.wizfi360.flash", 1, &create};
  return k;
}

}  // namespace simdev::wizfi360
