#pragma once
// Where a device's sockets really go: the host address listeners bind, the device-port -> host-port listen map,
// and the outbound address map. Parsed from the "network" object of a device's configuration:
//   {"listen_host": "127.0.0.1", "listen_map": {"5000": 15000, "80": 0}, "address_map": {...}}
// All members are optional. Unknown members are ignored (the device's identity may live beside them).
#include <cstdint>
#include <map>

#include <nlohmann/json.hpp>

#include "libsim/net/address_map.hpp"

namespace simdev::net {

struct NetConfig {
  std::string listen_host = "127.0.0.1";
  // Device port -> host port (0 = ephemeral). Ports not listed bind the same number on the host.
  // Applies to TCP listeners and UDP binds alike.
  std::map<std::uint16_t, std::uint16_t> listen_map;
  AddressMap address_map;

  // Host port a device port binds: listen_map entry or the same number.
  std::uint16_t host_port_for(std::uint16_t device_port) const;

  // `network` is the "network" object (null is accepted and gives defaults). Throws std::invalid_argument
  // naming the field: "network.listen_map: key \"x\" is not a port", "network.address_map[\"a:b\"]: bad port".
  static NetConfig from_json(const nlohmann::json& network);
};

}  // namespace simdev::net
