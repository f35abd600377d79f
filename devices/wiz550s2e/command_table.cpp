#include "devices/wiz550s2e/command_table.hpp"

#include <array>

#include "devices/wiz550s2e/handlers.hpp"
#include "devices/wiz550s2e/response.hpp"

namespace simdev::wiz550s2e {
namespace {

constexpr std::size_t kMaxTokenLength = 10;
constexpr std::string_view kPrefix = "AT+";

constexpr std::array kTable{
    CommandRow{"NSET", nset_show, nset_show, nset_set, nset_individual},
    CommandRow{"NSTAT", nset_show, nset_show, nullptr, nullptr},
    CommandRow{"NMAC", nmac_show, nmac_show, nmac_set, nullptr},
    CommandRow{"NOPEN", not_allowed, not_allowed, nopen_set, nullptr},
    CommandRow{"NCLOSE", nullptr, nullptr, nclose_set, nullptr},
    CommandRow{"NSEND", nullptr, nullptr, nsend_set, nullptr},
    CommandRow{"NSOCK", nsock_show, nsock_show, nsock_set, nullptr},
    CommandRow{"NAUTO", not_allowed, not_allowed, not_allowed, not_allowed},
    CommandRow{"ESTAT", not_allowed, not_allowed, not_allowed, not_allowed},
    CommandRow{"MSET", mset_execute, mset_query, mset_set, mset_individual},
    CommandRow{"MSTAT", mstat_show, mstat_show, nullptr, nullptr},
    CommandRow{"MUSART", musart_show, musart_show, musart_set, musart_individual},
    CommandRow{"MDATA", mdata_run, mdata_run, nullptr, nullptr},
    CommandRow{"MSAVE", msave_run, nullptr, nullptr, nullptr},
    CommandRow{"MRST", mrst_run, nullptr, nullptr, nullptr},
    CommandRow{"MMODE", mmode_show, mmode_show, mmode_set, nullptr},
    CommandRow{"MPASS", mpass_show, mpass_show, mpass_set, nullptr},
    CommandRow{"MNAME", mname_show, mname_show, mname_set, nullptr},
    CommandRow{"FDNS", fdns_execute, fdns_query, fdns_set, nullptr},
    CommandRow{"MQTTSET", mqttset_show, mqttset_show, mqttset_set, nullptr},
    CommandRow{"MQTTCON", not_allowed, not_allowed, mqttcon_set, nullptr},
    CommandRow{"MQTTPUB", nullptr, nullptr, mqttpub_set, nullptr},
    CommandRow{"MQTTSUB", nullptr, nullptr, mqttsub_set, nullptr},
};

Handler handler_for(const CommandRow& row, Sign sign) {
  switch (sign) {
    case Sign::none: return row.execute;
    case Sign::query: return row.query;
    case Sign::equal: return row.set;
    case Sign::individual: return row.individual;
  }
  return nullptr;
}

}  // namespace

std::span<const CommandRow> command_table() { return kTable; }

const CommandRow* find_command(std::string_view name) {
  for (const auto& row : kTable)
    if (row.name == name) return &row;
  return nullptr;
}

void run_command_line(Module& m, std::string_view line, std::string_view previous_line) {
  ParseResult parsed = parse_command_line(line);
  const CommandLine& cmd = parsed.command;
  if (cmd.token == "AT") {
    if (cmd.sign == Sign::none) m.write_serial(ok());
    else if (cmd.sign == Sign::query) m.write_serial(dump(previous_line));
    else m.write_serial(failure(ErrorCode::wrong_sign));
    return;
  }
  if (parsed.error) {
    m.write_serial(*parsed.error);
    return;
  }
  const CommandRow* row = nullptr;
  if (cmd.token.size() <= kMaxTokenLength && cmd.token.starts_with(kPrefix))
    row = find_command(std::string_view(cmd.token).substr(kPrefix.size()));
  if (!row) {
    m.write_serial(failure(ErrorCode::wrong_operator));
    return;
  }
  Handler h = handler_for(*row, cmd.sign);
  if (!h) {
    m.write_serial(failure(ErrorCode::wrong_sign));
    return;
  }
  h(m, cmd);
}

}  // namespace simdev::wiz550s2e
