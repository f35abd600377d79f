#include "devices/wiz550s2e/wiz550s2e_device.hpp"
#include "devices/wiz550s2e/wiz550s2e_kind.hpp"

namespace simdev::wiz550s2e {
namespace {

std::unique_ptr<Device> create(DeviceContext ctx) { return std::make_unique<Wiz550s2eDevice>(std::move(ctx)); }

}  // namespace

const DeviceKind& kind() {
  static const DeviceKind k{"wiz550s2e", "wiz550s2e", "simdev.wiz550s2e.flash", 1, &create};
  return k;
}

}  // namespace simdev::wiz550s2e
