// CIPDOMAIN, CIPDNS, PING, CIPSNTPCFG/CIPSNTPTIME, CIUPDATE (placeholder: the family is being built; see module.hpp).
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

void add_service_commands(Module&, at::CommandTable&) {}

}  // namespace simdev::wizfi360
