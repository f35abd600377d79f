#pragma once
#include "libsim/runtime/device.hpp"

namespace simdev::wizfi360 {
const DeviceKind& kind();
}
