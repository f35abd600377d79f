// Passthrough family (spec §1.12, §2.3): AT+CIPMODE, AT+CIPSEND without arguments (enter_passthrough),
// AT+SAVETRANSLINK and the link it opens by itself after boot.
#include <map>
#include <memory>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/passthrough.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr long kMaxKeepalive = 7200;

struct PassthroughState {
  explicit PassthroughState(const Module& m)
      : config(PassthroughConfig::from_json(m.context().config.is_object()
                                                ? m.context().config.value("passthrough", nlohmann::json())
                                                : nlohmann::json())),
        boot_timer(m.executor()) {}
  PassthroughConfig config;
  bool cipmode = false;  // RAM only
  std::shared_ptr<PassthroughSession> session;
  boost::asio::steady_timer boot_timer;  // SAVETRANSLINK: waiting for an IP, or for the next connect attempt
};

// enter_passthrough() is called from the CIPSEND row of another family: it finds the state of its module here.
std::map<const Module*, std::weak_ptr<PassthroughState>>& states() {
  static std::map<const Module*, std::weak_ptr<PassthroughState>> registry;
  return registry;
}

bool has_ip(Module& m) { return m.link().got_ip || m.softap_enabled(); }

void start_session(Module& m, const std::shared_ptr<PassthroughState>& state, const net::HostPort& destination,
                   int keepalive_s) {
  std::weak_ptr<PassthroughState> weak = state;
  auto executor = m.executor();
  state->session = std::make_shared<PassthroughSession>(m, state->config, [weak, executor] {
    auto s = weak.lock();
    if (!s) return;
    // The session is still on the stack (its escape hook called us): let it go once the loop is back.
    boost::asio::post(executor, [gone = std::move(s->session)] {});
  });
  state->session->start(destination, keepalive_s);
}

void set_cipmode(Module& m, PassthroughState& state, const at::Request& req) {
  auto a = parse_args(req, 1, 1);
  auto mode = a ? at::to_int((*a)[0], 0, 1) : std::nullopt;
  if (!mode) return m.error();
  // Passthrough needs single-connection mode and no server (the server needs CIPMUX=1 anyway).
  if (*mode == 1 && (m.links().mux() || m.links().server_running())) return m.error("CIPMUX and CIPSERVER must be 0");
  state.cipmode = *mode == 1;
  m.ok();
}

// `<mode>,"host",port[,"TCP"[,keepalive]]` or `<mode>,"host",port,"UDP"[,local port]`; mode 0 clears.
void save_trans_link(Module& m, const at::Request& req) {
  auto a = parse_args(req, 1, 5);
  if (!a) return m.error();
  auto mode = at::to_int((*a)[0], 0, 1);
  if (!mode) return m.error();
  if (*mode == 0) {
    m.write(Layer::both, [](Settings& s) { s.trans_link.reset(); });
    return m.ok();
  }
  if (a->size() < 3) return m.error();
  TransLink link;
  auto host = at::to_string((*a)[1], 1, 128);
  auto port = at::to_int((*a)[2], 1, 65535);
  if (!host || !port) return m.error();
  link.host = *host;
  link.port = *port;
  if (a->size() > 3) {
    auto type = at::to_string((*a)[3], 1, 8);
    if (!type || (*type != "TCP" && *type != "UDP")) return m.error();
    link.type = *type;
  }
  if (a->size() > 4) {
    auto value = at::to_int((*a)[4], 0, link.type == "TCP" ? kMaxKeepalive : 65535);
    if (!value) return m.error();
    (link.type == "TCP" ? link.keepalive : link.local_port) = *value;
  }
  m.write(Layer::both, [&](Settings& s) { s.trans_link = link; });
  m.ok();
}

// ---------------------------------------------------------------- SAVETRANSLINK at boot

void open_boot_link(Module& m, const std::shared_ptr<PassthroughState>& state);

void retry_boot_link(Module& m, const std::shared_ptr<PassthroughState>& state, std::chrono::milliseconds delay) {
  std::weak_ptr<PassthroughState> weak = state;
  state->boot_timer.expires_after(delay);
  state->boot_timer.async_wait([&m, weak](const boost::system::error_code& ec) {
    auto s = weak.lock();
    if (ec || !s) return;
    open_boot_link(m, s);
  });
}

// Waits for an IP (autoconnect), opens the saved link and enters passthrough; keeps trying until it works.
void open_boot_link(Module& m, const std::shared_ptr<PassthroughState>& state) {
  const std::optional<TransLink>& saved = m.current().trans_link;
  if (!saved || state->session) return;
  if (!has_ip(m)) return retry_boot_link(m, state, state->config.translink_poll);
  const TransLink link = *saved;
  const net::HostPort destination{link.host, static_cast<std::uint16_t>(link.port)};
  state->cipmode = true;  // implied by the saved link
  if (link.type == "UDP") {
    if (m.links().open_udp(0, destination, static_cast<std::uint16_t>(link.local_port), 0))
      return start_session(m, state, destination, 0);
    return retry_boot_link(m, state, state->config.reconnect_interval);
  }
  std::weak_ptr<PassthroughState> weak = state;
  m.links().connect_tcp(0, destination, static_cast<int>(link.keepalive), [&m, weak, destination, link] {
    auto s = weak.lock();
    if (!s) return;
    if (m.links().at(0).open()) return start_session(m, s, destination, static_cast<int>(link.keepalive));
    retry_boot_link(m, s, s->config.reconnect_interval);
  });
}

}  // namespace

void add_passthrough_commands(Module& m, at::CommandTable& t) {
  auto state = std::make_shared<PassthroughState>(m);
  states()[&m] = state;
  m.add_reset_hook([state] {
    state->session.reset();
    state->boot_timer.cancel();
    state->cipmode = false;
  });
  m.add_ready_hook([&m, state] { open_boot_link(m, state); });
  t.add({.name = "+CIPMODE",
         .query = [&m, state](const at::Request&) { m.send("+CIPMODE:" + std::to_string(state->cipmode) + "\r\n\r\nOK\r\n"); },
         .set = [&m, state](const at::Request& req) { set_cipmode(m, *state, req); }});
  t.add({.name = "+SAVETRANSLINK", .set = [&m](const at::Request& req) { save_trans_link(m, req); }});
}

bool passthrough_mode(const Module& m) {
  auto it = states().find(&m);
  auto state = it == states().end() ? nullptr : it->second.lock();
  return state && state->cipmode;
}

// `AT+CIPSEND` without arguments: CIPMUX=0, CIPMODE=1 and link 0 open as TCP or as UDP with mode 0 (§1.12).
void enter_passthrough(Module& m) {
  auto it = states().find(&m);
  auto state = it == states().end() ? nullptr : it->second.lock();
  if (!state || !state->cipmode) return m.error();
  if (m.links().mux()) return m.error("MUX=1");
  const Link& link = m.links().at(0);
  const bool usable = (link.type == "TCP" && link.stream) || (link.type == "UDP" && link.udp && link.udp_mode == 0);
  if (!usable) return m.error();  // no link, SSL, MQTT, or a UDP link whose peer may change
  m.send("\r\nOK\r\n\r\n>");
  start_session(m, state, link.remote, link.keepalive_s);
}

}  // namespace simdev::wizfi360
