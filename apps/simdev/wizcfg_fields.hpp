#pragma once
// `key=value` words of `simdev wizcfg set` applied to a module's settings. Field names and value syntax are those
// of the flash file (docs/CONFIG.md): local_ip=192.168.11.7, working_mode=client, packing_time=100,
// dhcp_use=true, packing_delimiter=0d0a0000.
#include <string>
#include <vector>

#include "devices/wiz550s2e/settings.hpp"

namespace simdev::apps::wizcfg {

// Throws std::invalid_argument naming the field ("local_ip: not an IPv4 address", "colour: unknown field").
wiz550s2e::Settings apply_fields(const wiz550s2e::Settings& base, const std::vector<std::string>& assignments);

}  // namespace simdev::apps::wizcfg
