// AT+CIPDOMAIN (spec §2.3, decision 21) and AT+CIPDNS_CUR / _DEF (§2.3, decisions 20 and 29).
//
// What CIPDOMAIN answers for a name (the module reports virtual IPv4 addresses; traffic goes where the address map
// sends it):
//   1. an IPv4 literal answers itself;
//   2. a name some address-map rule names, when an IPv4-literal rule sends traffic to the very same target
//      (host and port), answers that literal: {"broker.lab": "127.0.0.1:18830", "10.0.0.5": "127.0.0.1:18830"}
//      makes "broker.lab" 10.0.0.5, and a CIPSTART to 10.0.0.5 lands on the same peer;
//   3. any other mapped name answers the first IPv4 address of its target (resolved on the host), so
//      {"io.adafruit.com": "127.0.0.1"} answers 127.0.0.1;
//   4. an unmapped name resolves on the host; no IPv4 answer, no station IP or no answer within
//      services.dns_timeout_ms gives `DNS Fail`.
// The configured DNS servers are reported only; resolution never goes to them.
#include <algorithm>

#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/services.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr std::size_t kMaxDomainLength = 64;

void answer_domain(Module& m, ServicesState& s, const std::string& ip) {
  s.lookup.reset();
  m.cancel(TimerSlot::services);
  m.end_busy();
  m.send("+CIPDOMAIN:\"" + ip + "\"\r\n\r\nOK\r\n");
}

void dns_fail(Module& m, ServicesState& s) {
  s.lookup.reset();
  m.cancel(TimerSlot::services);
  m.end_busy();
  m.error("DNS Fail");
}

void cipdomain(Module& m, const std::shared_ptr<ServicesState>& state, const at::Request& req) {
  auto a = parse_args(req, 1, 1);
  auto name = a ? at::to_string((*a)[0], 1, kMaxDomainLength) : std::nullopt;
  if (!name) return m.error();
  if (auto ip = at::parse_ipv4(*name)) return m.send("+CIPDOMAIN:\"" + at::format_ipv4(*ip) + "\"\r\n\r\nOK\r\n");
  net::VirtualNetwork* net = m.network();
  if (!net || !station_online(m)) return m.error("DNS Fail");
  const net::AddressMap& map = net->config().address_map;
  if (auto virtual_ip = map.virtual_ipv4(*name)) return m.send("+CIPDOMAIN:\"" + *virtual_ip + "\"\r\n\r\nOK\r\n");

  ServicesState& s = *state;
  m.begin_busy([&m, &s] {
    s.lookup.reset();
    m.cancel(TimerSlot::services);
  });
  m.after(TimerSlot::services, s.config.dns_timeout, [&m, &s] { dns_fail(m, s); });
  s.lookup = net->resolve(map.target_host(*name).value_or(*name),
                          [&m, &s](const boost::system::error_code& ec, const std::vector<boost::asio::ip::address>& found) {
                            auto v4 = std::find_if(found.begin(), found.end(), [](const auto& ip) { return ip.is_v4(); });
                            if (ec || v4 == found.end()) return dns_fail(m, s);
                            answer_domain(m, s, v4->to_string());
                          });
}

std::optional<at::Ipv4> server_arg(const at::Arg& arg) {
  auto text = at::to_string(arg, 1, 15);
  return text ? at::parse_ipv4(*text) : std::nullopt;
}

// `<en>[,"d0"][,"d1"]`: en=0 back to the factory server, en=1 alone the public fallback, else the given ones.
void set_dns(Module& m, const std::shared_ptr<ServicesState>& state, const at::Request& req) {
  auto a = parse_args(req, 1, 3);
  auto enable = a ? at::to_int((*a)[0], 0, 1) : std::nullopt;
  if (!enable) return m.error();
  std::vector<at::Ipv4> servers;
  if (*enable == 0) {
    if (a->size() > 1) return m.error();
  } else if (a->size() == 1) {
    servers.push_back(*at::parse_ipv4(state->config.dns_enabled));
  } else {
    auto d0 = server_arg((*a)[1]);
    if (!d0) return m.error("IP1 ERROR");
    servers.push_back(*d0);
    if (a->size() == 3) {
      auto d1 = server_arg((*a)[2]);
      if (!d1 || *d1 == *d0) return m.error("IP2 ERROR");
      servers.push_back(*d1);
    }
  }
  m.write(layer_of(req), [&servers](Settings& s) { s.dns_servers = servers; });
  m.ok();
}

void query_dns(Module& m, const std::shared_ptr<ServicesState>& state, const at::Request& req) {
  const Settings& s = reads_flash(req) ? m.flash() : m.current();
  std::vector<std::string> servers;
  for (const auto& ip : s.dns_servers) servers.push_back(at::format_ipv4(ip));
  if (servers.empty()) servers.push_back(state->config.dns_factory);
  std::string out;
  for (const auto& ip : servers) out += "+" + req.name + ":" + ip + "\r\n";
  m.send(out + "\r\nOK\r\n");
}

}  // namespace

void add_dns_commands(Module& m, at::CommandTable& t, std::shared_ptr<ServicesState> state) {
  t.add({.name = "+CIPDOMAIN", .set = [&m, state](const at::Request& req) { cipdomain(m, state, req); }});
  add_layered(t, "+CIPDNS", false,
              {.query = [&m, state](const at::Request& req) { query_dns(m, state, req); },
               .set = [&m, state](const at::Request& req) { set_dns(m, state, req); }});
}

}  // namespace simdev::wizfi360
