// Provisioning (manual 3.2.24-26, 3.2.30): CWSTARTSMART, CWSTOPSMART, WPS, WIZ_NETCONFIG. Credentials come from
// the control plane ("provision", "wps_push") or from an AP the radio world marks as WPS-pushable.
#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/provisioning.hpp"

namespace simdev::wizfi360 {
namespace {

void stop(Module& m) {
  m.cancel(TimerSlot::provisioning);
  m.provisioning() = Module::Provisioning::none;
  m.stop_web_page();
}

// One SmartConfig try after another; after the last, the module falls back to its web page (manual note 5).
void smart_try(Module& m, long attempt, long tries) {
  m.send("\r\n+CWSTARTSMART:Try:" + std::to_string(attempt) + "/" + std::to_string(tries) + "\r\n");
  m.after(TimerSlot::provisioning, m.config().timing.smart_try, [&m, attempt, tries] {
    if (attempt < tries) return smart_try(m, attempt + 1, tries);
    m.send("\r\n+CWSTARTSMART:WebCfgStart\r\n");
    m.provisioning() = Module::Provisioning::netconfig;
    std::string error;
    m.start_web_page(error);  // on failure the control plane can still deliver credentials
  });
}

void start_smart(Module& m, std::optional<long> tries) {
  if (m.current().mode != 1) return m.error();  // SmartConfig runs in station mode only
  m.ok();
  m.provisioning() = Module::Provisioning::smartconfig;
  m.begin_busy([&m] { stop(m); }, {"+CWSTOPSMART"});
  if (tries) smart_try(m, 1, *tries);
}

void wps_join(Module& m, const AccessPoint& ap) {
  StationAp target{ap.ssid, ap.password, ap.bssid};
  m.cancel(TimerSlot::provisioning);
  m.join(target, [&m, target](int code) {
    stop(m);
    m.end_busy();
    if (code == 0) {
      m.write(Layer::both, [&](Settings& s) { s.station_ap = target; });
    } else {
      m.send("wps fail\r\n");
    }
  });
}

}  // namespace

void deliver_credentials(Module& m, const std::string& ssid, const std::string& password) {
  const char* type = m.provisioning() == Module::Provisioning::netconfig ? "Web" : "AIRKISS";
  m.cancel(TimerSlot::provisioning);
  m.send(std::string("smartconfig type:") + type + "\r\nSmart get wifi info\r\nssid:" + ssid + "\r\npassword:" +
         password + "\r\n");
  StationAp target{ssid, password, std::nullopt};
  m.join(target, [&m, target](int code) {
    if (code != 0) return;  // keeps listening for another attempt, as the module does
    m.write(Layer::both, [&](Settings& s) { s.station_ap = target; });
    m.send("smartconfig connected wifi\r\n");
    stop(m);
    m.end_busy();
  });
}

bool push_wps(Module& m, const AccessPoint& ap) {
  if (m.provisioning() != Module::Provisioning::wps || !ap.wps || !ap.up) return false;
  wps_join(m, ap);
  return true;
}

void add_provisioning_commands(Module& m, at::CommandTable& t) {
  t.add({.name = "+CWSTARTSMART",
         .set =
             [&m](const at::Request& req) {
               // 1.1: `=<tries>`; 1.0: `=<type>,<tries>` — accept both.
               auto a = parse_args(req, 1, 2);
               if (!a) return m.error();
               if (a->size() == 2 && !at::to_int((*a)[0], 1, 3)) return m.error();
               auto tries = at::to_int(a->back(), 1, 255);
               if (!tries) return m.error();
               start_smart(m, *tries);
             },
         .execute = [&m](const at::Request&) { start_smart(m, std::nullopt); }});
  t.add({.name = "+CWSTOPSMART", .execute = [&m](const at::Request&) {
           if (m.provisioning() != Module::Provisioning::wps) {
             bool running = m.provisioning() != Module::Provisioning::none;
             stop(m);
             if (running) m.abort_busy();
           }
           m.ok();
         }});
  t.add({.name = "+WPS", .set = [&m](const at::Request& req) {
           auto a = parse_args(req, 1, 1);
           auto en = a ? at::to_int((*a)[0], 0, 1) : std::nullopt;
           if (!en) return m.error();
           if (*en == 0) {
             if (m.provisioning() == Module::Provisioning::wps) {
               stop(m);
               m.abort_busy();
             }
             return m.send("wps stoped\r\n\r\nOK\r\n");
           }
           if (!m.station_enabled()) return m.error();
           m.send("wps started\r\n\r\nOK\r\n");
           m.provisioning() = Module::Provisioning::wps;
           m.begin_busy([&m] { stop(m); m.leave_ap(); }, {"+WPS"});
           m.after(TimerSlot::provisioning, m.config().timing.wps_timeout, [&m] {
             stop(m);
             m.end_busy();
             m.send("wps fail\r\n");
           });
           for (const auto& ap : m.world().access_points()) {
             if (ap.wps_push && ap.wps && ap.up) {
               AccessPoint chosen = ap;
               m.after(TimerSlot::provisioning, Millis(0), [&m, chosen] { wps_join(m, chosen); });
               break;
             }
           }
         }});
  t.add({.name = "+WIZ_NETCONFIG", .execute = [&m](const at::Request&) {
           if (!m.softap_enabled()) return m.error();
           std::string error;
           if (!m.start_web_page(error)) return m.error();
           m.ok();
           m.provisioning() = Module::Provisioning::netconfig;
           m.begin_busy([&m] { stop(m); }, {"+CWSTOPSMART"});
         }});
}

}  // namespace simdev::wizfi360
