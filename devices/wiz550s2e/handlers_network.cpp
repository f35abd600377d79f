// AT+NSET, AT+NSTAT, AT+NMAC.
#include <cctype>

#include "devices/wiz550s2e/handlers.hpp"
#include "devices/wiz550s2e/response.hpp"

namespace simdev::wiz550s2e {
namespace {

constexpr int kNsetFields = 5;
constexpr int kNsetDnsOnlyField = 6;  // a sixth field exists in the firmware's table but is never allowed

std::optional<bool> dhcp_letter(std::string_view arg) {
  if (arg.size() != 1) return std::nullopt;
  char c = static_cast<char>(std::toupper(static_cast<unsigned char>(arg[0])));
  if (c == 'S') return false;
  if (c == 'D') return true;
  return std::nullopt;
}

Fields nset_fields(const LiveNetwork& live) {
  return {live.dhcp ? "D" : "S", to_string(live.ip), to_string(live.subnet), to_string(live.gateway),
          to_string(live.dns)};
}

Ip4& nset_address(Settings& s, int field) {
  switch (field) {
    case 2: return s.local_ip;
    case 3: return s.subnet;
    case 4: return s.gateway;
    default: return s.dns_server_ip;
  }
}

}  // namespace

void nset_show(Module& m, const CommandLine& cmd) {
  if (cmd.sign == Sign::query && !cmd.arg(1).empty()) {
    auto n = number(cmd.arg(1));
    if (n && *n == kNsetDnsOnlyField) {
      m.write_serial(failure(ErrorCode::not_allowed));
      return;
    }
  }
  auto sel = selector(m, cmd.sign == Sign::query ? cmd.arg(1) : std::string_view(), kNsetFields);
  if (!sel) return;
  Fields all = nset_fields(m.live());
  if (*sel == 0) m.write_serial(ok(all));
  else m.write_serial(ok({all[static_cast<std::size_t>(*sel - 1)]}));
}

void nset_set(Module& m, const CommandLine& cmd) {
  bool any = false;
  for (const auto& a : cmd.args) any = any || !a.empty();
  if (!any) {
    m.write_serial(failure(ErrorCode::not_allowed));
    return;
  }
  Settings next = m.settings();
  if (!cmd.arg(1).empty()) {
    auto dhcp = dhcp_letter(cmd.arg(1));
    if (!dhcp) {
      m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
      return;
    }
    next.dhcp_use = *dhcp;
  }
  for (int field = 2; field <= kNsetFields; ++field) {
    if (cmd.arg(field).empty()) continue;
    auto ip = parse_ip(cmd.arg(field));
    if (!ip) {
      m.write_serial(arg_error(ErrorCode::wrong_arguments, field));
      return;
    }
    nset_address(next, field) = *ip;
  }
  if (!cmd.arg(6).empty()) {
    m.write_serial(parse_ip(cmd.arg(6)) ? arg_error(ErrorCode::not_allowed, 6)
                                        : arg_error(ErrorCode::wrong_arguments, 6));
    return;
  }
  m.settings() = next;
  m.apply_network_settings();
  m.write_serial(ok());
}

void nset_individual(Module& m, const CommandLine& cmd) {
  auto field = number(cmd.arg(1));
  if (!field) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
    return;
  }
  if (*field < 1 || *field > kNsetDnsOnlyField) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 1));
    return;
  }
  Settings& s = m.settings();
  if (*field == 1) {
    auto dhcp = dhcp_letter(cmd.arg(2));
    if (!dhcp) {
      m.write_serial(arg_error(ErrorCode::wrong_arguments, 2));
      return;
    }
    s.dhcp_use = *dhcp;
  } else {
    auto ip = parse_ip(cmd.arg(2));
    if (!ip) {
      m.write_serial(arg_error(ErrorCode::wrong_arguments, 2));
      return;
    }
    if (*field == kNsetDnsOnlyField) {
      m.write_serial(arg_error(ErrorCode::not_allowed, 2));
      return;
    }
    nset_address(s, static_cast<int>(*field)) = *ip;
  }
  m.apply_network_settings();
  m.write_serial(ok());
}

void nmac_show(Module& m, const CommandLine& cmd) {
  auto sel = selector(m, cmd.sign == Sign::query ? cmd.arg(1) : std::string_view(), 1);
  if (!sel) return;
  m.write_serial(ok({to_string(m.settings().mac)}));
}

void nmac_set(Module& m, const CommandLine& cmd) {
  auto mac = parse_mac(cmd.arg(1));
  if (!mac) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
    return;
  }
  m.settings().mac = *mac;
  m.save_settings();
  m.write_serial(ok());
}

}  // namespace simdev::wiz550s2e
