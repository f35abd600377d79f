// CIPSENDEX, CIPSENDBUF, CIPBUFSTATUS, CIPCHECKSEQ, CIPBUFRESET (placeholder: the family is being built; see module.hpp).
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

void add_sendbuf_commands(Module&, at::CommandTable&) {}

}  // namespace simdev::wizfi360
