// AT+FDNS: resolves a name into the data-mode remote IP. The firmware blocks while it waits for the answer.
#include "devices/wiz550s2e/handlers.hpp"
#include "devices/wiz550s2e/response.hpp"

namespace simdev::wiz550s2e {
namespace {

constexpr std::string_view kFatalQueryText = "### ERROR ### hdl_fdns(1080): wrong sign(1)\r\n";
constexpr std::string_view kTimeoutText = "DNS Timeout\r\n";

void lookup(Module& m, const std::string& name) {
  m.block_input();
  m.resolve_name(name, [&m](std::optional<Ip4> ip) {
    if (!ip) {
      if (m.config().quirks.fdns_infinite_loop) {
        m.hang("AT+FDNS retries forever");
        return;
      }
      m.write_serial(dump(kTimeoutText));
    } else {
      m.settings().remote_ip = *ip;
      m.write_serial(dump(to_string(*ip) + "\r\n"));
    }
    m.unblock_input();
  });
}

}  // namespace

void fdns_execute(Module& m, const CommandLine&) { lookup(m, m.settings().dns_domain_name); }

void fdns_set(Module& m, const CommandLine& cmd) {
  if (cmd.arg(1).empty()) return;  // the firmware prints nothing at all
  lookup(m, std::string(cmd.arg(1)));
}

void fdns_query(Module& m, const CommandLine&) {
  m.write_serial(kFatalQueryText);
  if (m.config().quirks.fdns_query_fatal_hang) m.hang("AT+FDNS? fatal error");
}

}  // namespace simdev::wiz550s2e
