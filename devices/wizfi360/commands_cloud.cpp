// AZSET, AZCON, AWSCON (placeholder: the family is being built; see module.hpp).
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

void add_cloud_commands(Module&, at::CommandTable&) {}

}  // namespace simdev::wizfi360
