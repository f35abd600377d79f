// AT+PING="host" (spec §2.3): `+<ms>` + OK, or `+timeout` + ERROR. No ICMP leaves the host; reachability is
// judged from the configuration instead:
//   - a host some address-map rule names (with or without a port) is reachable when the rule's target resolves
//     on the host;
//   - an unmapped host is reachable only when it resolves to a loopback address (127.0.0.1, localhost, ::1);
//     anything else would be a real Internet host, which simdev never contacts;
//   - unreachable, unresolvable, no station IP, or no answer within services.ping_timeout_ms: `+timeout` once
//     services.ping_timeout_ms has passed since the command.
// The time reported is services.ping_rtt_ms when set (> 0), else the measured time the resolution took, rounded
// up to whole milliseconds and at least 1.
#include <algorithm>
#include <chrono>

#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/services.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr std::size_t kMaxHostLength = 128;

void finish(Module& m, ServicesState& s, std::optional<long> rtt_ms) {
  s.lookup.reset();
  m.cancel(TimerSlot::services);
  m.end_busy();
  if (rtt_ms) {
    m.send("+" + std::to_string(*rtt_ms) + "\r\n\r\nOK\r\n");
  } else {
    m.send("+timeout\r\n\r\nERROR\r\n");
  }
}

long reported_rtt(const ServicesConfig& c, std::chrono::steady_clock::duration took) {
  if (c.ping_rtt_ms > 0) return c.ping_rtt_ms;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  return std::max<long>(1, static_cast<long>((us + 999) / 1000));
}

void ping(Module& m, const std::shared_ptr<ServicesState>& state, const at::Request& req) {
  auto a = parse_args(req, 1, 1);
  auto host = a ? at::to_string((*a)[0], 1, kMaxHostLength) : std::nullopt;
  if (!host) return m.error();
  ServicesState& s = *state;
  m.begin_busy([&m, &s] {
    s.lookup.reset();
    m.cancel(TimerSlot::services);
  });
  m.after(TimerSlot::services, s.config.ping_timeout, [&m, &s] { finish(m, s, std::nullopt); });
  net::VirtualNetwork* net = m.network();
  if (!net || !station_online(m)) return;  // the deadline answers +timeout
  auto target = net->config().address_map.target_host(*host);
  const bool mapped = target.has_value();
  const auto started = std::chrono::steady_clock::now();
  s.lookup = net->resolve(target.value_or(*host), [&m, &s, mapped, started](
                                                      const boost::system::error_code& ec,
                                                      const std::vector<boost::asio::ip::address>& found) {
    const bool reachable =
        !ec && !found.empty() &&
        (mapped || std::any_of(found.begin(), found.end(), [](const auto& ip) { return ip.is_loopback(); }));
    if (!reachable) {
      s.lookup.reset();
      return;  // the deadline answers +timeout
    }
    finish(m, s, reported_rtt(s.config, std::chrono::steady_clock::now() - started));
  });
}

}  // namespace

void add_ping_command(Module& m, at::CommandTable& t, std::shared_ptr<ServicesState> state) {
  t.add({.name = "+PING", .set = [&m, state](const at::Request& req) { ping(m, state, req); }});
}

}  // namespace simdev::wizfi360
