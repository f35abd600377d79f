// AT+MSTAT, AT+MUSART, AT+MDATA, AT+MSAVE, AT+MRST, AT+MMODE, AT+MPASS, AT+MNAME, AT+MSET.
#include <algorithm>
#include <array>
#include <cctype>

#include "devices/wiz550s2e/handlers.hpp"
#include "devices/wiz550s2e/response.hpp"

namespace simdev::wiz550s2e {
namespace {

constexpr std::array<long, 11> kBaudRates{300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400};
constexpr int kMusartFields = 5;
constexpr int kMdataSelectors = 6;
constexpr std::size_t kMaxPassword = 9;
constexpr std::size_t kMaxName = 24;
constexpr int kMsetFields = 3;
constexpr int kMsetSettableFields = 2;

char parity_letter(std::uint8_t parity) { return parity == 1 ? 'O' : parity == 2 ? 'E' : 'N'; }

char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

// Validates one AT+MUSART field and writes it into the RAM config at once (the firmware's partial-write
// behaviour). Returns the error response, or nullopt when the value was accepted.
std::optional<std::string> musart_field(Settings& s, int field, std::string_view value, int report_index) {
  auto number_error = [&](ErrorCode code) { return arg_error(code, report_index); };
  switch (field) {
    case 1: {
      auto baud = number(value);
      if (!baud || std::find(kBaudRates.begin(), kBaudRates.end(), *baud) == kBaudRates.end())
        return number_error(ErrorCode::wrong_arguments);
      s.baud_rate = static_cast<std::uint32_t>(*baud);
      return std::nullopt;
    }
    case 2: {
      auto bits = number(value);
      if (!bits) return number_error(ErrorCode::wrong_arguments);
      if (*bits < 5 || *bits > 8) return number_error(ErrorCode::out_of_range);
      s.data_bits = static_cast<std::uint8_t>(*bits);
      return std::nullopt;
    }
    case 3: {
      if (value.size() != 1) return number_error(ErrorCode::wrong_arguments);
      char c = upper(value[0]);
      if (c == 'N') s.parity = 0;
      else if (c == 'O') s.parity = 1;
      else if (c == 'E') s.parity = 2;
      else return number_error(ErrorCode::wrong_arguments);
      return std::nullopt;
    }
    case 4: {
      auto stop = number(value);
      if (!stop) return number_error(ErrorCode::wrong_arguments);
      if (*stop < 1 || *stop > 2) return number_error(ErrorCode::out_of_range);
      s.stop_bits = static_cast<std::uint8_t>(*stop);
      return std::nullopt;
    }
    default: {
      auto flow = number(value);
      if (!flow) return number_error(ErrorCode::wrong_arguments);
      if (*flow > 3) return number_error(ErrorCode::out_of_range);
      s.flow_control = static_cast<std::uint8_t>(*flow);
      return std::nullopt;
    }
  }
}

}  // namespace

void mstat_show(Module& m, const CommandLine& cmd) {
  auto sel = selector(m, cmd.sign == Sign::query ? cmd.arg(1) : std::string_view(), 1);
  if (!sel) return;
  const auto& v = m.config().firmware_version;
  m.write_serial(ok({std::to_string(v[0]) + "." + std::to_string(v[1]) + "." + std::to_string(v[2])}));
}

void musart_show(Module& m, const CommandLine& cmd) {
  auto sel = selector(m, cmd.sign == Sign::query ? cmd.arg(1) : std::string_view(), kMusartFields);
  if (!sel) return;
  const Settings& s = m.settings();
  Fields all{std::to_string(s.baud_rate), std::to_string(s.data_bits), std::string(1, parity_letter(s.parity)),
             std::to_string(s.stop_bits), std::to_string(s.flow_control)};
  if (*sel == 0) m.write_serial(ok(all));
  else m.write_serial(ok({all[static_cast<std::size_t>(*sel - 1)]}));
}

void musart_set(Module& m, const CommandLine& cmd) {
  for (int field = 1; field <= kMusartFields; ++field) {
    if (cmd.arg(field).empty()) continue;
    if (auto error = musart_field(m.settings(), field, cmd.arg(field), field)) {
      m.write_serial(*error);
      return;
    }
  }
  m.write_serial(ok());
  m.apply_uart_settings();
}

void musart_individual(Module& m, const CommandLine& cmd) {
  auto field = number(cmd.arg(1));
  if (!field) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
    return;
  }
  if (*field < 1 || *field > kMusartFields) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 1));
    return;
  }
  if (auto error = musart_field(m.settings(), static_cast<int>(*field), cmd.arg(2), 2)) {
    m.write_serial(*error);
    return;
  }
  m.write_serial(ok());
  m.apply_uart_settings();
}

void mdata_run(Module& m, const CommandLine& cmd) {
  auto sel = selector(m, cmd.sign == Sign::query ? cmd.arg(1) : std::string_view(), kMdataSelectors);
  if (!sel) return;
  m.enter_data_mode();
}

void msave_run(Module& m, const CommandLine&) {
  m.save_settings();
  m.write_serial(ok());
}

void mrst_run(Module& m, const CommandLine&) {
  m.write_serial(ok());
  m.reset_after_output();
}

void mmode_show(Module& m, const CommandLine&) {
  const Settings& s = m.settings();
  m.write_serial(ok({std::string(1, mode_letter(s.working_mode)), std::to_string(s.local_port),
                     to_string(s.remote_ip), std::to_string(s.remote_port)}));
}

void mmode_set(Module& m, const CommandLine& cmd) {
  std::optional<WorkingMode> mode;
  if (cmd.arg(1).size() == 1) mode = mode_from_letter(cmd.arg(1)[0]);
  if (!mode) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
    return;
  }
  auto local = parse_port(cmd.arg(2));
  if (!local) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 2));
    return;
  }
  auto ip = parse_ip(cmd.arg(3));
  if (!ip) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 3));
    return;
  }
  auto remote = parse_port(cmd.arg(4));
  if (!remote) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 4));
    return;
  }
  if (!cmd.arg(5).empty()) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 5));
    return;
  }
  Settings& s = m.settings();
  s.working_mode = *mode;
  s.local_port = *local;
  s.remote_ip = *ip;
  s.remote_port = *remote;
  m.save_settings();
  m.write_serial(ok());
}

void mpass_show(Module& m, const CommandLine&) {
  m.write_serial(ok({m.settings().pw_setting, m.settings().pw_connect}));
}

void mpass_set(Module& m, const CommandLine& cmd) {
  if (cmd.arg(1).size() > kMaxPassword || cmd.arg(2).size() > kMaxPassword) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 1));
    return;
  }
  m.settings().pw_setting = std::string(cmd.arg(1));
  m.settings().pw_connect = std::string(cmd.arg(2));
  m.save_settings();
  m.write_serial(ok());
}

void mname_show(Module& m, const CommandLine&) { m.write_serial(ok({m.settings().module_name})); }

void mname_set(Module& m, const CommandLine& cmd) {
  if (cmd.arg(1).size() > kMaxName) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 1));
    return;
  }
  m.settings().module_name = std::string(cmd.arg(1));
  m.save_settings();
  m.write_serial(ok());
}

// AT+MSET is a hidden, empty command: it validates (echo E/D, format F/S) and prints nothing on success.
namespace {
bool mset_value_ok(int field, std::string_view value) {
  if (value.size() != 1) return false;
  char c = upper(value[0]);
  return field == 1 ? (c == 'E' || c == 'D') : (c == 'F' || c == 'S');
}
}  // namespace

void mset_execute(Module&, const CommandLine&) {}

void mset_query(Module& m, const CommandLine& cmd) { (void)selector(m, cmd.arg(1), kMsetFields); }

void mset_set(Module& m, const CommandLine& cmd) {
  if (cmd.arg(1).empty() && cmd.arg(2).empty()) {
    m.write_serial(failure(ErrorCode::not_allowed));
    return;
  }
  for (int field = 1; field <= kMsetSettableFields; ++field) {
    if (!cmd.arg(field).empty() && !mset_value_ok(field, cmd.arg(field))) {
      m.write_serial(arg_error(ErrorCode::wrong_arguments, field));
      return;
    }
  }
}

void mset_individual(Module& m, const CommandLine& cmd) {
  auto field = number(cmd.arg(1));
  if (!field) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
    return;
  }
  if (*field == kMsetFields) {
    m.write_serial(arg_error(ErrorCode::not_allowed, 2));
    return;
  }
  if (*field < 1 || *field > kMsetFields) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 1));
    return;
  }
  if (!mset_value_ok(static_cast<int>(*field), cmd.arg(2))) m.write_serial(arg_error(ErrorCode::wrong_arguments, 2));
}

}  // namespace simdev::wiz550s2e
