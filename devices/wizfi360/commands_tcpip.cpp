// TCP/IP link commands (manual 3.3, spec §1.8-1.10, §2.3): CIPMUX, CIPSTART, CIPCLOSE, CIPSTATUS, CIFSR,
// CIPSEND, CIPDINFO.
#include <optional>

#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/passthrough.hpp"
#include "devices/wizfi360/payload_entry.hpp"
#include "devices/wizfi360/send_target.hpp"

namespace simdev::wizfi360 {
namespace {

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

bool has_ip(Module& m) { return m.link().got_ip || m.softap_enabled(); }

// The link id argument of the multi-connection forms; nullopt answers `ID ERROR`.
std::optional<int> link_id(const at::Arg& arg, long max) {
  auto id = at::to_int(arg, 0, max);
  if (!id) return std::nullopt;
  return static_cast<int>(*id);
}

// STATUS (§2.3): 3 a link is open, 4 links were open and all closed, 2 got an IP, 5 otherwise.
int status_code(Module& m) {
  if (m.links().any_open()) return 3;
  if (!has_ip(m)) return 5;
  return m.links().ever_opened() ? 4 : 2;
}

void cipstatus(Module& m) {
  std::string out = "STATUS:" + std::to_string(status_code(m)) + "\r\n";
  for (int id = 0; id < Links::kCount; ++id) {
    const Link& link = m.links().at(id);
    if (!link.open()) continue;
    out += "+CIPSTATUS:" + std::to_string(id) + "," + quoted(link.type) + "," + quoted(m.links().reported_host(id)) + "," +
           std::to_string(link.remote.port) + "," + std::to_string(link.local_port) + "," +
           (link.server ? "1" : "0") + "\r\n";
  }
  m.send(out + "\r\nOK\r\n");
}

void cifsr(Module& m) {
  std::string out;
  const Settings& s = m.current();
  if (m.softap_enabled()) {
    out += "+CIFSR:APIP," + quoted(at::format_ipv4(s.ap_ip.ip)) + "\r\n";
    out += "+CIFSR:APMAC," + quoted(at::format_mac(softap_mac(s.sta_mac))) + "\r\n";
  }
  if (m.station_enabled()) {
    at::Ipv4 ip = m.link().got_ip ? m.link().ip.ip : at::Ipv4{};
    out += "+CIFSR:STAIP," + quoted(at::format_ipv4(ip)) + "\r\n";
    out += "+CIFSR:STAMAC," + quoted(at::format_mac(s.sta_mac)) + "\r\n";
  }
  m.send(out + "\r\nOK\r\n");
}

void set_mux(Module& m, const at::Request& req) {
  auto a = parse_args(req, 1, 1);
  auto mux = a ? at::to_int((*a)[0], 0, 1) : std::nullopt;
  if (!mux) return m.error();
  if ((*mux == 1) == m.links().mux()) return m.ok();
  if (*mux == 1 && passthrough_mode(m)) return m.error("IPMODE must be 0");
  if (m.links().server_running()) return m.error("CIPSERVER must be 0");
  if (m.links().any_open()) return m.error("link is builded");
  m.links().mux() = *mux == 1;
  m.ok();
}

// UDP tail after the remote host: `rport[,lport[,mode]]`; rport 0 means "no peer yet".
void start_udp(Module& m, int id, const std::string& host, const at::Args& a, std::size_t at_port) {
  auto port = at::to_int(a[at_port], 0, 65535);
  if (!port) return m.error("port error");
  long local = 0;
  long mode = 0;
  if (a.size() > at_port + 1) {
    auto l = at::to_int(a[at_port + 1], 0, 65535);
    if (!l) return m.error("port range error ");
    local = *l;
  }
  if (a.size() > at_port + 2) {
    auto md = at::to_int(a[at_port + 2], 0, 2);
    if (!md) return m.error();
    mode = *md;
  }
  if (!has_ip(m)) return m.error("no ip");
  if (m.links().at(id).open()) return m.error("ALREADY CONNECTED");
  net::HostPort remote{host, static_cast<std::uint16_t>(*port)};
  if (!m.links().open_udp(id, remote, static_cast<std::uint16_t>(local), static_cast<int>(mode)))
    m.send(m.links().prefix(id) + "CONNECT FAIL\r\n\r\nERROR\r\n");
}

// `[<id>,]"TCP","host",port[,keepalive]` or `[<id>,]"UDP","host",rport[,lport[,mode]]`
void cipstart(Module& m, const at::Request& req) {
  Links& links = m.links();
  auto a = parse_args(req, 3, 6);
  if (!a) return m.error();
  std::size_t first = 0;
  int id = 0;
  if (links.mux()) {
    auto parsed = link_id((*a)[0], Links::kCount - 1);
    if (!parsed) return m.error("ID ERROR");
    id = *parsed;
    first = 1;
  } else if (!(*a)[0].quoted) {
    return m.error("MUX=0");
  }
  std::size_t given = a->size() - first;
  if (given < 3) return m.error("Miss param");
  auto type = at::to_string((*a)[first], 1, 8);
  if (!type || (*type != "TCP" && *type != "UDP" && *type != "SSL")) return m.error("Link type ERROR");
  auto host = at::to_string((*a)[first + 1], 1, 128);
  if (!host) return m.error("IP ERROR");
  if (*type == "UDP") {
    if (given > 5) return m.error();
    return start_udp(m, id, *host, *a, first + 2);
  }
  if (given > 4) return m.error();
  auto port = at::to_int((*a)[first + 2], 1, 65535);
  if (!port) return m.error("port error");
  long keepalive = 0;
  if (given == 4) {
    auto k = at::to_int((*a)[first + 3], 0, 7200);
    if (!k) return m.error();
    keepalive = *k;
  }
  if (!has_ip(m)) return m.error("no ip");
  if (links.at(id).open()) return m.error("ALREADY CONNECTED");
  if (*type == "SSL") return start_ssl(m, id, net::HostPort{*host, static_cast<std::uint16_t>(*port)}, static_cast<int>(keepalive));
  m.begin_busy([&m] { m.links().cancel_connect(); });
  links.connect_tcp(id, net::HostPort{*host, static_cast<std::uint16_t>(*port)}, static_cast<int>(keepalive),
                    [&m] { m.end_busy(); });
}

void cipclose(Module& m, std::optional<int> id) {
  Links& links = m.links();
  if (!id) {
    if (links.mux()) return m.error("MUX=1");
    id = 0;
  } else if (!links.mux()) {
    return m.error("MUX=0");
  }
  if (*id == Links::kAll) {
    for (int i = 0; i < Links::kCount; ++i)
      if (links.at(i).open()) links.close(i);
    return m.ok();
  }
  if (!links.at(*id).open()) return m.error("UNLINK");
  links.close(*id);
  m.ok();
}

void cipsend(Module& m, const at::Request& req) {
  auto target = parse_send_target(m, req, true);
  if (!target) return;
  m.send("\r\nOK\r\n> ");
  collect_payload(m, PayloadEntry{target->length, false},
                  [&m, target = *target](Bytes payload) { send_payload(m, target, std::move(payload)); });
}

}  // namespace

std::optional<SendTarget> parse_send_target(Module& m, const at::Request& req, bool destination_allowed) {
  Links& links = m.links();
  auto a = parse_args(req, 1, destination_allowed ? 4 : 2);
  if (!a) {
    m.error();
    return std::nullopt;
  }
  std::size_t id_args = links.mux() ? 1 : 0;
  bool override_given = destination_allowed && a->size() == id_args + 3;
  if (a->size() != id_args + 1 && !override_given) {
    m.error(links.mux() ? "MUX=1" : "MUX=0");
    return std::nullopt;
  }
  SendTarget target;
  if (links.mux()) {
    auto parsed = link_id((*a)[0], Links::kCount - 1);
    if (!parsed) {
      m.error("ID ERROR");
      return std::nullopt;
    }
    target.id = *parsed;
  }
  auto len = at::to_int((*a)[id_args], 0, 1L << 30);
  const char* problem = !len ? "" : *len > static_cast<long>(Links::kMaxChunk) ? "too long" : *len < 1 ? "too short" : nullptr;
  if (problem) {
    *problem ? m.error(problem) : m.error();
    return std::nullopt;
  }
  target.length = static_cast<std::size_t>(*len);
  if (override_given) {
    auto host = at::to_string((*a)[id_args + 1], 1, 128);
    if (!host) {
      m.error("ip error");
      return std::nullopt;
    }
    auto port = at::to_int((*a)[id_args + 2], 1, 65535);
    if (!port) {
      m.error("port error");
      return std::nullopt;
    }
    target.destination = net::HostPort{*host, static_cast<std::uint16_t>(*port)};
  }
  const Link& link = links.at(target.id);
  if (!link.open()) {
    m.error("link is not valid");
    return std::nullopt;
  }
  if (link.held) {
    m.error("use MQTTPUB");
    return std::nullopt;
  }
  if (target.destination && link.type != "UDP") target.destination.reset();  // TCP ignores the override, as ESP does
  return target;
}

void send_payload(Module& m, const SendTarget& target, Bytes payload) {
  m.send("\r\nRecv " + std::to_string(payload.size()) + " bytes\r\n");
  m.sending() = true;
  auto done = [&m](bool ok) {
    m.sending() = false;
    m.send(ok ? "\r\nSEND OK\r\n" : "\r\nSEND FAIL\r\n");
  };
  if (target.destination) {
    m.links().send_to(target.id, *target.destination, std::move(payload), done);
  } else {
    m.links().send(target.id, std::move(payload), done);
  }
}

void add_tcpip_commands(Module& m, at::CommandTable& t) {
  t.add({.name = "+CIPMUX",
         .query = [&m](const at::Request&) { m.send("+CIPMUX:" + std::string(m.links().mux() ? "1" : "0") + "\r\n\r\nOK\r\n"); },
         .set = [&m](const at::Request& req) { set_mux(m, req); }});
  t.add({.name = "+CIPDINFO",
         .query =
             [&m](const at::Request&) {
               m.send(std::string("+CIPDINFO:") + (m.links().dinfo() ? "TRUE" : "FALSE") + "\r\n\r\nOK\r\n");
             },
         .set =
             [&m](const at::Request& req) {
               auto a = parse_args(req, 1, 1);
               auto on = a ? at::to_int((*a)[0], 0, 1) : std::nullopt;
               if (!on) return m.error();
               m.links().dinfo() = *on == 1;
               m.ok();
             }});
  t.add({.name = "+CIPSTART", .set = [&m](const at::Request& req) { cipstart(m, req); }});
  t.add({.name = "+CIPCLOSE",
         .set =
             [&m](const at::Request& req) {
               auto a = parse_args(req, 1, 1);
               auto id = a ? link_id((*a)[0], Links::kAll) : std::nullopt;
               if (!id) return m.error("ID ERROR");
               cipclose(m, id);
             },
         .execute = [&m](const at::Request&) { cipclose(m, std::nullopt); }});
  t.add({.name = "+CIPSTATUS", .execute = [&m](const at::Request&) { cipstatus(m); }});
  t.add({.name = "+CIFSR", .execute = [&m](const at::Request&) { cifsr(m); }});
  t.add({.name = "+CIPSEND",
         .set = [&m](const at::Request& req) { cipsend(m, req); },
         .execute = [&m](const at::Request&) { enter_passthrough(m); }});
}

}  // namespace simdev::wizfi360
