#pragma once
// The chip's live network identity (what AT+NSET?/AT+NSTAT report): the RAM config in static mode, the lease
// under DHCP.
#include "devices/wiz550s2e/addresses.hpp"

namespace simdev::wiz550s2e {

struct LiveNetwork {
  bool dhcp = false;
  Ip4 ip{}, subnet{}, gateway{}, dns{};
};

}  // namespace simdev::wiz550s2e
