// SoftAP commands (manual 3.2.8-3.2.14, 3.2.18-19): CWSAP, CWLIF, CWDHCP, CWDHCPS, CIPAPMAC.
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {
namespace {

std::optional<SoftApConfig> parse_softap(const at::Request& req) {
  auto a = parse_args(req, 4, 6);
  if (!a) return std::nullopt;
  auto ssid = at::to_string((*a)[0], 1, 32);
  auto pwd = at::to_string((*a)[1], 0, 64);
  auto ch = at::to_int((*a)[2], 1, 13);
  auto ecn = at::to_int((*a)[3], 0, 4);
  if (!ssid || !pwd || !ch || !ecn || *ecn == 1) return std::nullopt;  // no WEP
  if (*ecn != 0 && (pwd->size() < 8 || pwd->size() > 64)) return std::nullopt;
  SoftApConfig c{*ssid, *pwd, *ch, *ecn, 4, 0};
  if (a->size() >= 5) {
    auto max = at::to_int((*a)[4], 1, 4);
    if (!max) return std::nullopt;
    c.max_conn = *max;
  }
  if (a->size() == 6) {
    auto hidden = at::to_int((*a)[5], 0, 1);
    if (!hidden) return std::nullopt;
    c.hidden = *hidden;
  }
  return c;
}

bool same_subnet(const at::Ipv4& a, const at::Ipv4& b, const at::Ipv4& mask) {
  return (at::ipv4_to_u32(a) & at::ipv4_to_u32(mask)) == (at::ipv4_to_u32(b) & at::ipv4_to_u32(mask));
}

std::optional<DhcpRange> parse_dhcps(const at::Request& req, const Settings& s, const DhcpRange& factory) {
  auto a = parse_args(req, 1, 4);
  if (!a) return std::nullopt;
  auto en = at::to_int((*a)[0], 0, 1);
  if (!en) return std::nullopt;
  if (*en == 0) return a->size() == 1 ? std::optional(factory) : std::nullopt;
  if (a->size() != 4) return std::nullopt;  // lease and range come together (manual note)
  auto lease = at::to_int((*a)[1], 1, 2880);
  auto start_text = at::to_string((*a)[2]);
  auto end_text = at::to_string((*a)[3]);
  if (!lease || !start_text || !end_text) return std::nullopt;
  auto start = at::parse_ipv4(*start_text);
  auto end = at::parse_ipv4(*end_text);
  if (!start || !end || at::ipv4_to_u32(*start) > at::ipv4_to_u32(*end)) return std::nullopt;
  const IpConfig& ap = s.ap_ip;
  if (!same_subnet(*start, ap.ip, ap.netmask) || !same_subnet(*end, ap.ip, ap.netmask)) return std::nullopt;
  return DhcpRange{*lease, *start, *end};
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

void add_softap_commands(Module& m, at::CommandTable& t) {
  add_layered(t, "+CWSAP", true,
              {.query =
                   [&m](const at::Request& req) {
                     const Settings& s = reads_flash(req) ? m.flash() : m.current();
                     const SoftApConfig& c = s.softap;
                     m.send("+" + req.name + ":" + quoted(softap_ssid(s)) + "," + quoted(c.password) + "," +
                            std::to_string(c.channel) + "," + std::to_string(c.ecn) + "," +
                            std::to_string(c.max_conn) + "," + std::to_string(c.hidden) + "\r\n\r\nOK\r\n");
                   },
               .set =
                   [&m](const at::Request& req) {
                     if (!m.softap_enabled()) return m.error();
                     auto c = parse_softap(req);
                     if (!c) return m.error();
                     m.write(layer_of(req), [&](Settings& s) { s.softap = *c; });
                     m.ok();
                   }});
  t.add({.name = "+CWLIF", .execute = [&m](const at::Request&) {
           std::string out;
           for (const auto& st : m.softap_stations()) {
             if (st.ip == at::Ipv4{}) continue;  // only DHCP-assigned stations are known (manual note)
             out += at::format_ipv4(st.ip) + "," + at::format_mac(st.mac) + "\r\n";
           }
           m.send(out + "\r\nOK\r\n");
         }});
  add_layered(t, "+CWDHCP", true,
              {.query =
                   [&m](const at::Request& req) {
                     long dhcp = reads_flash(req) ? m.flash().dhcp : m.current().dhcp;
                     m.send("+" + req.name + ":" + std::to_string(dhcp) + "\r\n\r\nOK\r\n");
                   },
               .set =
                   [&m](const at::Request& req) {
                     auto a = parse_args(req, 2, 2);
                     auto mode = a ? at::to_int((*a)[0], 0, 2) : std::nullopt;
                     auto en = a ? at::to_int((*a)[1], 0, 1) : std::nullopt;
                     if (!mode || !en) return m.error();
                     static constexpr long kBits[] = {kDhcpSoftAp, kDhcpStation, kDhcpSoftAp | kDhcpStation};
                     long bits = kBits[*mode];
                     m.write(layer_of(req), [&](Settings& s) { s.dhcp = *en ? (s.dhcp | bits) : (s.dhcp & ~bits); });
                     m.ok();
                   }});
  add_layered(t, "+CWDHCPS", false,
              {.query =
                   [&m](const at::Request& req) {
                     const DhcpRange& r = reads_flash(req) ? m.flash().dhcps : m.current().dhcps;
                     m.send("+" + req.name + ":" + std::to_string(r.lease_minutes) + "," +
                            quoted(at::format_ipv4(r.start)) + "," + quoted(at::format_ipv4(r.end)) +
                            "\r\n\r\nOK\r\n");
                   },
               .set =
                   [&m](const at::Request& req) {
                     auto range = parse_dhcps(req, m.current(), m.config().factory.dhcps);
                     if (!range) return m.error();
                     m.write(layer_of(req), [&](Settings& s) { s.dhcps = *range; });
                     m.ok();
                   }});
  add_layered(t, "+CIPAPMAC", true,
              {.query =
                   [&m](const at::Request& req) {
                     const Settings& s = reads_flash(req) ? m.flash() : m.current();
                     m.send("+" + req.name + ":" + quoted(at::format_mac(softap_mac(s.sta_mac))) + "\r\n\r\nOK\r\n");
                   },
               .set =
                   [&m](const at::Request& req) {
                     // Accepted but without effect: the SoftAP MAC always follows the station MAC (manual 3.2.18).
                     auto a = parse_args(req, 1, 1);
                     auto text = a ? at::to_string((*a)[0]) : std::nullopt;
                     auto mac = text ? at::parse_mac(*text) : std::nullopt;
                     if (!mac || ((*mac)[0] & 1)) return m.error();
                     m.ok();
                   }});
}

}  // namespace simdev::wizfi360
