#pragma once
// What CIPSEND, CIPSENDEX and CIPSENDBUF share before and after their data entry (§1.8).
#include <cstddef>
#include <optional>

#include "libsim/at/command_table.hpp"
#include "libsim/net/host_port.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::wizfi360 {

class Module;

struct SendTarget {
  int id = 0;
  std::size_t length = 0;
  std::optional<net::HostPort> destination;  // UDP only: this datagram goes here instead of the link's peer
};

// Parses `[<id>,]<len>` (plus `,"ip",port` when `destination_allowed`) and checks the link can take data.
// On bad input it answers the module's error itself and returns nullopt.
std::optional<SendTarget> parse_send_target(Module& m, const at::Request& req, bool destination_allowed);

// After a CIPSEND/CIPSENDEX payload: `Recv N bytes`, then SEND OK / SEND FAIL once the socket took it; command
// lines in between get `busy s...`.
void send_payload(Module& m, const SendTarget& target, Bytes payload);

}  // namespace simdev::wizfi360
