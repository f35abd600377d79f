#pragma once
// The device kinds this program is built with. The list lives in apps/ because libsim never names a device.
#include <vector>

#include "libsim/runtime/device.hpp"

namespace simdev::apps {

// First entry is the default --device.
const std::vector<const DeviceKind*>& device_kinds();

}  // namespace simdev::apps
