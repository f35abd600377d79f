// CIPSERVER, CIPSERVERMAXCONN, CIPSTO (placeholder: the family is being built; see module.hpp).
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

void add_server_commands(Module&, at::CommandTable&) {}

}  // namespace simdev::wizfi360
