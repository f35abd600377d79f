// Addressing commands (manual 3.2.16-17, 3.2.20-23, 3.2.27-29): CIPSTAMAC, CIPSTA, CIPAP, CWHOSTNAME, CWCOUNTRY.
#include <tuple>
#include <utility>

#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {
namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

void send_ipcfg(Module& m, const at::Request& req, const IpConfig& c) {
  std::string p = "+" + req.name + ":";
  m.send(p + "ip:" + quoted(at::format_ipv4(c.ip)) + "\r\n" + p + "gateway:" + quoted(at::format_ipv4(c.gateway)) +
         "\r\n" + p + "netmask:" + quoted(at::format_ipv4(c.netmask)) + "\r\n\r\nOK\r\n");
}

// `"ip"` or `"ip","gateway","netmask"` (the gateway needs the netmask, manual notes). Each layer keeps its own
// gateway and netmask when only the address is given.
struct IpUpdate {
  at::Ipv4 ip{};
  std::optional<std::pair<at::Ipv4, at::Ipv4>> gateway_netmask;
  void apply(IpConfig& c) const {
    c.ip = ip;
    if (gateway_netmask) std::tie(c.gateway, c.netmask) = *gateway_netmask;
  }
};

std::optional<IpUpdate> parse_ipcfg(const at::Request& req) {
  auto a = parse_args(req, 1, 3);
  if (!a || a->size() == 2) return std::nullopt;
  std::vector<at::Ipv4> ips;
  for (const auto& arg : *a) {
    auto text = at::to_string(arg);
    auto ip = text ? at::parse_ipv4(*text) : std::nullopt;
    if (!ip) return std::nullopt;
    ips.push_back(*ip);
  }
  IpUpdate update{ips[0], std::nullopt};
  if (ips.size() == 3) update.gateway_netmask = std::pair(ips[1], ips[2]);
  return update;
}

std::optional<at::Mac> parse_station_mac(const at::Request& req) {
  auto a = parse_args(req, 1, 1);
  auto text = a ? at::to_string((*a)[0]) : std::nullopt;
  auto mac = text ? at::parse_mac(*text) : std::nullopt;
  if (!mac || ((*mac)[0] & 1)) return std::nullopt;  // bit 0 of the first octet must be 0
  return mac;
}

std::optional<Country> parse_country(const at::Request& req) {
  auto a = parse_args(req, 3, 4);  // the manual has 3 parameters; Mbed sends 4 (start, count) — §6 #24
  if (!a) return std::nullopt;
  auto policy = at::to_int((*a)[0], 0, 1);
  auto code = at::to_string((*a)[1], 1, 3);
  if (!policy || !code) return std::nullopt;
  Country c{*policy, *code, 1, 13};
  if (a->size() == 3) {
    auto channels = at::to_int((*a)[2], 1, 14);
    if (!channels) return std::nullopt;
    c.channel_count = *channels;
  } else {
    auto start = at::to_int((*a)[2], 1, 14);
    auto count = at::to_int((*a)[3], 1, 14);
    if (!start || !count || *start + *count - 1 > 14) return std::nullopt;
    c.start_channel = *start;
    c.channel_count = *count;
  }
  return c;
}

}  // namespace

void add_ip_commands(Module& m, at::CommandTable& t) {
  add_layered(t, "+CIPSTAMAC", true,
              {.query =
                   [&m](const at::Request& req) {
                     const Settings& s = reads_flash(req) ? m.flash() : m.current();
                     m.send("+" + req.name + ":" + quoted(at::format_mac(s.sta_mac)) + "\r\n\r\nOK\r\n");
                   },
               .set =
                   [&m](const at::Request& req) {
                     auto mac = parse_station_mac(req);
                     if (!mac) return m.error();
                     m.write(layer_of(req), [&](Settings& s) { s.sta_mac = *mac; });
                     m.ok();
                   }});
  add_layered(t, "+CIPSTA", true,
              {.query =
                   [&m](const at::Request& req) {
                     if (reads_flash(req)) return send_ipcfg(m, req, m.flash().sta_ip);
                     if (!(m.current().dhcp & kDhcpStation)) return send_ipcfg(m, req, m.current().sta_ip);
                     send_ipcfg(m, req, m.link().got_ip ? m.link().ip : IpConfig{});
                   },
               .set =
                   [&m](const at::Request& req) {
                     auto update = parse_ipcfg(req);
                     if (!update) return m.error();
                     // A static address turns the station's DHCP client off, and vice versa (manual notes).
                     m.write(layer_of(req), [&](Settings& s) {
                       update->apply(s.sta_ip);
                       s.dhcp &= ~kDhcpStation;
                     });
                     m.ok();
                   }});
  add_layered(t, "+CIPAP", true,
              {.query =
                   [&m](const at::Request& req) {
                     send_ipcfg(m, req, reads_flash(req) ? m.flash().ap_ip : m.current().ap_ip);
                   },
               .set =
                   [&m](const at::Request& req) {
                     auto update = parse_ipcfg(req);
                     if (!update) return m.error();
                     m.write(layer_of(req), [&](Settings& s) {
                       update->apply(s.ap_ip);
                       s.dhcp &= ~kDhcpSoftAp;
                     });
                     m.ok();
                   }});
  t.add({.name = "+CWHOSTNAME",
         .query =
             [&m](const at::Request& req) {
               // Unquoted, as the firmware's `%s:%s` prints it (§6 #41).
               std::string name = m.station_enabled() ? m.hostname() : "<null>";
               m.send("+" + req.name + ":" + name + "\r\n\r\nOK\r\n");
             },
         .set =
             [&m](const at::Request& req) {
               if (!m.station_enabled()) return m.error();
               auto a = parse_args(req, 1, 1);
               auto name = a ? at::to_string((*a)[0], 1, 32) : std::nullopt;
               if (!name) return m.error();
               m.hostname() = *name;
               m.ok();
             }});
  add_layered(t, "+CWCOUNTRY", false,
              {.query =
                   [&m](const at::Request& req) {
                     const Country& c = reads_flash(req) ? m.flash().country : m.current().country;
                     m.send("+" + req.name + ":" + std::to_string(c.policy) + "," + quoted(c.code) + "," +
                            std::to_string(c.channel_count) + "\r\n\r\nOK\r\n");
                   },
               .set =
                   [&m](const at::Request& req) {
                     auto c = parse_country(req);
                     if (!c) return m.error();
                     m.write(layer_of(req), [&](Settings& s) { s.country = *c; });
                     m.ok();
                   }});
}

}  // namespace simdev::wizfi360
