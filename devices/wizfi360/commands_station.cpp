// Station-side Wi-Fi commands (manual 3.2.1-3.2.7, 3.2.15): CWMODE, CWJAP, CWLAPOPT, CWLAP, CWQAP, CWAUTOCONN.
#include <algorithm>

#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {
namespace {

std::string rssi_text(long rssi) {
  if (rssi == 0) return "0";
  return "-" + std::to_string(rssi < 0 ? -rssi : rssi);  // firmware prints `-%d` of the magnitude
}

std::string lap_line(const AccessPoint& ap, long mask) {
  std::vector<std::string> fields;
  if (mask & (1 << 0)) fields.push_back(std::to_string(ap.ecn));
  if (mask & (1 << 1)) fields.push_back("\"" + ap.ssid + "\"");
  if (mask & (1 << 2)) fields.push_back(rssi_text(ap.rssi));
  if (mask & (1 << 3)) fields.push_back("\"" + at::format_mac(ap.bssid) + "\"");
  if (mask & (1 << 4)) fields.push_back(std::to_string(ap.channel));
  if (mask & (1 << 10)) fields.push_back(ap.wps ? "1" : "0");
  std::string out = "+CWLAP:(";
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + fields[i];
  return out + ")\r\n";
}

struct LapFilter {
  std::string ssid;
  std::optional<at::Mac> mac;
  std::optional<long> channel;
};

std::optional<LapFilter> parse_lap_filter(const at::Request& req) {
  auto a = parse_args(req, 1, 3);
  if (!a) return std::nullopt;
  LapFilter f;
  auto ssid = at::to_string((*a)[0], 0, 32);
  if (!ssid) return std::nullopt;
  f.ssid = *ssid;
  if (a->size() >= 2 && !(*a)[1].empty()) {
    auto text = at::to_string((*a)[1]);
    if (!text) return std::nullopt;
    if (!text->empty()) {
      f.mac = at::parse_mac(*text);
      if (!f.mac) return std::nullopt;
    }
  }
  if (a->size() == 3) {
    f.channel = at::to_int((*a)[2], 1, 14);
    if (!f.channel) return std::nullopt;
  }
  return f;
}

void scan(Module& m, LapFilter filter) {
  m.begin_busy([&m] { m.cancel(TimerSlot::command); });
  m.after(TimerSlot::command, m.config().timing.scan, [&m, filter] {
    std::vector<const AccessPoint*> found;
    for (const auto& ap : m.world().access_points()) {
      if (!ap.up) continue;
      if (!filter.ssid.empty() ? ap.ssid != filter.ssid : ap.hidden) continue;
      if (filter.mac && ap.bssid != *filter.mac) continue;
      if (filter.channel && ap.channel != *filter.channel) continue;
      found.push_back(&ap);
    }
    if (m.lap_options().sort_by_rssi)
      std::stable_sort(found.begin(), found.end(), [](auto* a, auto* b) { return a->rssi > b->rssi; });
    std::string out;
    for (const auto* ap : found) out += lap_line(*ap, m.lap_options().mask);
    m.end_busy();
    m.send(out + "\r\nOK\r\n");
  });
}

void query_join(Module& m, const at::Request& req) {
  const StationLink& link = m.link();
  const AccessPoint* ap = link.bssid ? m.world().find_by_bssid(*link.bssid) : nullptr;
  if (link.state != StationLink::State::connected || !ap) return m.send("No AP\r\n\r\nOK\r\n");
  m.send("+" + req.name + ":\"" + ap->ssid + "\",\"" + at::format_mac(ap->bssid) + "\"," +
         std::to_string(ap->channel) + "," + rssi_text(ap->rssi) + "\r\n\r\nOK\r\n");
}

void set_join(Module& m, const at::Request& req) {
  if (!m.station_enabled()) return m.error();
  auto a = parse_args(req, 2, 3);
  if (!a) return m.error();
  auto ssid = at::to_string((*a)[0], 1, 32);
  auto pwd = at::to_string((*a)[1], 0, 64);
  if (!ssid || !pwd) return m.error();
  StationAp target{*ssid, *pwd, std::nullopt};
  if (a->size() == 3) {
    auto text = at::to_string((*a)[2]);
    auto mac = text ? at::parse_mac(*text) : std::nullopt;
    if (!mac) return m.error();
    target.bssid = *mac;
  }
  m.write(layer_of(req), [&](Settings& s) { s.station_ap = target; });
  m.begin_busy([&m] { m.leave_ap(); });
  m.join(target, [&m](int code) {
    m.end_busy();
    if (code == 0) return m.ok();
    m.send("+CWJAP:" + std::to_string(code) + "\r\n\r\nFAIL\r\n");  // one spelling for every form (§6 #5)
  });
}

}  // namespace

void add_station_commands(Module& m, at::CommandTable& t) {
  add_layered(t, "+CWMODE", true,
              {.test = [&m](const at::Request& req) { m.send("+" + req.name + ":(1-3)\r\n\r\nOK\r\n"); },
               .query =
                   [&m](const at::Request& req) {
                     long mode = reads_flash(req) ? m.flash().mode : m.current().mode;
                     m.send("+" + req.name + ":" + std::to_string(mode) + "\r\n\r\nOK\r\n");
                   },
               .set =
                   [&m](const at::Request& req) {
                     auto a = parse_args(req, 1, 1);
                     auto mode = a ? at::to_int((*a)[0], 1, 3) : std::nullopt;
                     if (!mode) return m.error();
                     m.write(layer_of(req), [&](Settings& s) { s.mode = *mode; });
                     m.ok();
                     m.mode_changed();
                   }});
  add_layered(t, "+CWJAP", true,
              {.query = [&m](const at::Request& req) { query_join(m, req); },
               .set = [&m](const at::Request& req) { set_join(m, req); }});
  t.add({.name = "+CWLAPOPT", .set = [&m](const at::Request& req) {
           auto a = parse_args(req, 2, 2);
           auto sort = a ? at::to_int((*a)[0], 0, 1) : std::nullopt;
           auto mask = a ? at::to_int((*a)[1], 0, 2047) : std::nullopt;
           if (!sort || !mask) return m.error();
           m.lap_options() = LapOptions{*sort, *mask};
           m.ok();
         }});
  t.add({.name = "+CWLAP",
         .set =
             [&m](const at::Request& req) {
               if (!m.station_enabled()) return m.error();
               auto filter = parse_lap_filter(req);
               if (!filter) return m.error();
               scan(m, *filter);
             },
         .execute =
             [&m](const at::Request&) {
               if (!m.station_enabled()) return m.error();
               scan(m, {});
             }});
  t.add({.name = "+CWQAP", .execute = [&m](const at::Request&) {
           m.ok();
           m.quit_ap();
         }});
  t.add({.name = "+CWAUTOCONN",
         .query =
             [&m](const at::Request& req) {
               m.send("+" + req.name + ":" + (m.current().autoconnect ? "1" : "0") + "\r\n\r\nOK\r\n");
             },
         .set =
             [&m](const at::Request& req) {
               auto a = parse_args(req, 1, 1);
               auto en = a ? at::to_int((*a)[0], 0, 1) : std::nullopt;
               if (!en) return m.error();
               m.write(Layer::both, [&](Settings& s) { s.autoconnect = *en == 1; });
               m.ok();
             }});
}

}  // namespace simdev::wizfi360
