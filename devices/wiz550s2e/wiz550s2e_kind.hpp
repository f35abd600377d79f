#pragma once
#include "libsim/runtime/device.hpp"

namespace simdev::wiz550s2e {
const DeviceKind& kind();
}
