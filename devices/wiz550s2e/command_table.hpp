#pragma once
// The AT command table: one row per command, one handler per sign it supports (spec §1.5).
// A missing handler means the firmware answers [F,,2] (wrong sign).
#include <span>
#include <string_view>

#include "devices/wiz550s2e/command_line.hpp"
#include "devices/wiz550s2e/module.hpp"

namespace simdev::wiz550s2e {

using Handler = void (*)(Module&, const CommandLine&);

struct CommandRow {
  std::string_view name;  // after "AT+"
  Handler execute;        // AT+X
  Handler query;          // AT+X?...
  Handler set;            // AT+X=...
  Handler individual;     // AT+X-n,...
};

std::span<const CommandRow> command_table();
const CommandRow* find_command(std::string_view name);

// Runs one completed line (spec §1.2/§1.3) against the table, the history provider for `AT?`.
void run_command_line(Module& module, std::string_view line, std::string_view previous_line);

}  // namespace simdev::wiz550s2e
