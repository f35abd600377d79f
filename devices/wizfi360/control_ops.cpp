// Device-specific control-plane requests: pins, the radio world, SoftAP stations, provisioning credentials.
#include <algorithm>
#include <stdexcept>

#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/provisioning.hpp"

namespace simdev::wizfi360 {
namespace {

using nlohmann::json;

json ok(json extra = json::object()) {
  extra["ok"] = true;
  return extra;
}
json fail(const std::string& why) { return {{"ok", false}, {"error", why}}; }

std::string need_string(const json& req, const char* field) {
  if (!req.contains(field) || !req.at(field).is_string())
    throw std::invalid_argument(std::string("missing string field ") + field);
  return req.at(field).get<std::string>();
}

at::Mac need_mac(const json& req) {
  auto mac = at::parse_mac(need_string(req, "mac"));
  if (!mac) throw std::invalid_argument("bad mac");
  return *mac;
}

// The AP a request names by "ssid"; without one, the AP the station is (or wants to be) on.
AccessPoint* target_ap(Module& m, const json& req) {
  if (req.contains("ssid")) return m.world().find(need_string(req, "ssid"));
  if (m.link().bssid) return m.world().find_by_bssid(*m.link().bssid);
  if (m.current().station_ap) return m.world().find(m.current().station_ap->ssid);
  return nullptr;
}

json set_ap_up(Module& m, const json& req, bool up) {
  AccessPoint* ap = target_ap(m, req);
  if (!ap) return fail("no such access point");
  ap->up = up;
  m.world_changed();
  return ok({{"ssid", ap->ssid}});
}

std::string quoted_mac(const at::Mac& mac) { return "\"" + at::format_mac(mac) + "\""; }

}  // namespace

void add_control_ops(Module& m) {
  m.add_control_op("pin", [&m](const json& req) {
    Pin* pin = req.contains("pin") && req.at("pin").is_number_integer() ? m.gpio().find(req.at("pin").get<long>())
                                                                         : nullptr;
    if (!pin) return fail("no such pin");
    const json& level = req.contains("level") ? req.at("level") : json(nullptr);
    if (level.is_null()) {
      pin->driven_level.reset();
    } else if (level.is_number_integer() && (level.get<long>() == 0 || level.get<long>() == 1)) {
      pin->driven_level = level.get<long>();
    } else {
      return fail("level must be 0, 1 or null");
    }
    return ok({{"pin", req.at("pin")}, {"level", pin->level()}});
  });
  m.add_control_op("ap_add", [&m](const json& req) {
    if (!req.contains("ap")) return fail("missing ap object");
    AccessPoint ap = access_point_from_json(req.at("ap"));
    std::string ssid = ap.ssid;
    m.world().add(std::move(ap));
    m.world_changed();
    return ok({{"ssid", ssid}});
  });
  m.add_control_op("ap_remove", [&m](const json& req) {
    if (!m.world().remove(need_string(req, "ssid"))) return fail("no such access point");
    m.world_changed();
    return ok();
  });
  m.add_control_op("ap_rssi", [&m](const json& req) {
    AccessPoint* ap = target_ap(m, req);
    if (!ap) return fail("no such access point");
    if (!req.contains("rssi") || !req.at("rssi").is_number_integer()) return fail("missing integer rssi");
    ap->rssi = req.at("rssi").get<long>();
    return ok({{"ssid", ap->ssid}, {"rssi", ap->rssi}});
  });
  m.add_control_op("ap_down", [&m](const json& req) { return set_ap_up(m, req, false); });
  m.add_control_op("ap_up", [&m](const json& req) { return set_ap_up(m, req, true); });
  m.add_control_op("station_join", [&m](const json& req) {
    at::Mac mac = need_mac(req);
    auto& stations = m.softap_stations();
    if (!m.softap_enabled()) return fail("SoftAP is off");
    if (std::any_of(stations.begin(), stations.end(), [&](auto& s) { return s.mac == mac; }))
      return fail("station already joined");
    if (static_cast<long>(stations.size()) >= m.current().softap.max_conn) return fail("SoftAP is full");
    VirtualStation st{mac, {}};
    m.send("+STA_CONNECTED:" + quoted_mac(mac) + "\r\n");
    if (m.current().dhcp & kDhcpSoftAp) {
      const DhcpRange& r = m.current().dhcps;
      for (std::uint32_t a = at::ipv4_to_u32(r.start); a <= at::ipv4_to_u32(r.end); ++a) {
        at::Ipv4 ip = at::u32_to_ipv4(a);
        if (std::none_of(stations.begin(), stations.end(), [&](auto& s) { return s.ip == ip; })) {
          st.ip = ip;
          break;
        }
      }
      if (st.ip != at::Ipv4{})
        m.send("+DIST_STA_IP:" + quoted_mac(mac) + ",\"" + at::format_ipv4(st.ip) + "\"\r\n");
    }
    stations.push_back(st);
    return ok({{"ip", at::format_ipv4(st.ip)}});
  });
  m.add_control_op("station_leave", [&m](const json& req) {
    at::Mac mac = need_mac(req);
    auto& stations = m.softap_stations();
    if (std::erase_if(stations, [&](auto& s) { return s.mac == mac; }) == 0) return fail("no such station");
    m.send("+STA_DISCONNECTED:" + quoted_mac(mac) + "\r\n");
    return ok();
  });
  m.add_control_op("provision", [&m](const json& req) {
    auto p = m.provisioning();
    if (p != Module::Provisioning::smartconfig && p != Module::Provisioning::netconfig)
      return fail("no SmartConfig or web provisioning running");
    deliver_credentials(m, need_string(req, "ssid"), req.value("password", std::string()));
    return ok();
  });
  m.add_control_op("wps_push", [&m](const json& req) {
    AccessPoint* ap = m.world().find(need_string(req, "ssid"));
    if (!ap) return fail("no such access point");
    if (!push_wps(m, *ap)) return fail("WPS is not running or the AP has no WPS");
    return ok();
  });
}

}  // namespace simdev::wizfi360
