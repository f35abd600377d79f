#include "apps/simdev/device_kinds.hpp"

#include "devices/wiz550s2e/wiz550s2e_kind.hpp"
#include "devices/wizfi360/wizfi360_kind.hpp"

namespace simdev::apps {

const std::vector<const DeviceKind*>& device_kinds() {
  static const std::vector<const DeviceKind*> kinds{&wizfi360::kind(), &wiz550s2e::kind()};
  return kinds;
}

}  // namespace simdev::apps
