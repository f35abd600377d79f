// AT+CIPSNTPCFG=<en>[,tz][,"s0"][,"s1"][,"s2"] / ? and AT+CIPSNTPTIME? (spec §2.3). RAM only (§3).
// Set rules: en 0/1; tz -11..13, omitted = 0; servers given replace the list (empty or omitted slots are
// skipped), none given = the three defaults. Query: `+CIPSNTPCFG:0` when off, else
// `+CIPSNTPCFG:1,<tz>,"s0"[,"s1"[,"s2"]]`.
#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/sntp_clock.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr std::size_t kMaxServerLength = 64;

void set_sntp(Module& m, ServicesState& s, const at::Request& req) {
  auto a = parse_args(req, 1, 5);
  auto enable = a ? at::to_int((*a)[0], 0, 1) : std::nullopt;
  if (!enable) return m.error();
  SntpSettings settings;
  settings.enabled = *enable == 1;
  if (a->size() > 1 && !(*a)[1].empty()) {
    auto tz = at::to_int((*a)[1], -11, 13);
    if (!tz) return m.error();
    settings.timezone = *tz;
  }
  for (std::size_t i = 2; i < a->size(); ++i) {
    const at::Arg& arg = (*a)[i];
    if (arg.empty() || (arg.quoted && arg.text.empty())) continue;
    auto server = at::to_string(arg, 1, kMaxServerLength);
    if (!server) return m.error();
    settings.servers.push_back(*server);
  }
  if (settings.servers.empty()) settings.servers = s.config.sntp_servers;
  m.ok();
  s.sntp->configure(std::move(settings));
}

void query_sntp(Module& m, ServicesState& s) {
  const SntpSettings& c = s.sntp->settings();
  std::string out = "+CIPSNTPCFG:" + std::string(c.enabled ? "1" : "0");
  if (c.enabled) {
    out += "," + std::to_string(c.timezone);
    for (const auto& server : c.servers) out += ",\"" + server + "\"";
  }
  m.send(out + "\r\n\r\nOK\r\n");
}

}  // namespace

void add_sntp_commands(Module& m, at::CommandTable& t, std::shared_ptr<ServicesState> state) {
  t.add({.name = "+CIPSNTPCFG",
         .query = [&m, state](const at::Request&) { query_sntp(m, *state); },
         .set = [&m, state](const at::Request& req) { set_sntp(m, *state, req); }});
  t.add({.name = "+CIPSNTPTIME", .query = [&m, state](const at::Request&) {
           m.send("+CIPSNTPTIME:" + state->sntp->time_text() + "\r\n\r\nOK\r\n");
         }});
}

}  // namespace simdev::wizfi360
