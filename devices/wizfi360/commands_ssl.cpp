// CIPSSLSIZE, CIPSSLCCONF, CASEND, CLICASEND, AWSPKSEND and SSL links (placeholder: the family is being built; see module.hpp).
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

void add_ssl_commands(Module&, at::CommandTable&) {}

void start_ssl(Module& m, int, const net::HostPort&, int) { m.error("Link type ERROR"); }

}  // namespace simdev::wizfi360
