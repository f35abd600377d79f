// CIPMODE, SAVETRANSLINK and the passthrough session (placeholder: the family is being built; see module.hpp).
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

void add_passthrough_commands(Module&, at::CommandTable&) {}

void enter_passthrough(Module& m) { m.error(); }

}  // namespace simdev::wizfi360
