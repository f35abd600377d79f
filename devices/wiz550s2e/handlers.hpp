#pragma once
// AT command handlers, grouped by file: handlers_network.cpp, handlers_module.cpp, handlers_socket.cpp,
// handlers_dns.cpp, handlers_mqtt.cpp.
#include <optional>
#include <string_view>

#include "devices/wiz550s2e/command_line.hpp"
#include "devices/wiz550s2e/module.hpp"

namespace simdev::wiz550s2e {

void nset_show(Module&, const CommandLine&);
void nset_set(Module&, const CommandLine&);
void nset_individual(Module&, const CommandLine&);
void nmac_show(Module&, const CommandLine&);
void nmac_set(Module&, const CommandLine&);

void mstat_show(Module&, const CommandLine&);
void musart_show(Module&, const CommandLine&);
void musart_set(Module&, const CommandLine&);
void musart_individual(Module&, const CommandLine&);
void mdata_run(Module&, const CommandLine&);
void msave_run(Module&, const CommandLine&);
void mrst_run(Module&, const CommandLine&);
void mmode_show(Module&, const CommandLine&);
void mmode_set(Module&, const CommandLine&);
void mpass_show(Module&, const CommandLine&);
void mpass_set(Module&, const CommandLine&);
void mname_show(Module&, const CommandLine&);
void mname_set(Module&, const CommandLine&);
void mset_execute(Module&, const CommandLine&);
void mset_query(Module&, const CommandLine&);
void mset_set(Module&, const CommandLine&);
void mset_individual(Module&, const CommandLine&);
void not_allowed(Module&, const CommandLine&);

void nopen_set(Module&, const CommandLine&);
void nclose_set(Module&, const CommandLine&);
void nsend_set(Module&, const CommandLine&);
void nsock_show(Module&, const CommandLine&);
void nsock_set(Module&, const CommandLine&);

void fdns_execute(Module&, const CommandLine&);
void fdns_query(Module&, const CommandLine&);
void fdns_set(Module&, const CommandLine&);

void mqttset_show(Module&, const CommandLine&);
void mqttset_set(Module&, const CommandLine&);
void mqttcon_set(Module&, const CommandLine&);
void mqttpub_set(Module&, const CommandLine&);
void mqttsub_set(Module&, const CommandLine&);

// Shared argument helpers.
// `?n` selector: nullopt + response written when invalid; 0 when absent.
std::optional<int> selector(Module& m, std::string_view arg, int max);
// Number from a digits-only argument (saturating), nullopt when not digits.
std::optional<long> number(std::string_view arg);

}  // namespace simdev::wiz550s2e
