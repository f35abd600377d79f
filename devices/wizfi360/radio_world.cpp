#include "devices/wizfi360/radio_world.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "devices/wizfi360/json_fields.hpp"

namespace simdev::wizfi360 {
namespace {

using nlohmann::json;

std::invalid_argument bad(const std::string& field) {
  return std::invalid_argument("radio world: bad value in access point field " + field);
}

template <class T>
void read(const json& j, const char* field, T& out) {
  read_field(j, field, out, "radio world: bad value in access point field ");
}

void read_ip(const json& j, const char* field, at::Ipv4& out) {
  if (!j.contains(field)) return;
  auto ip = j.at(field).is_string() ? at::parse_ipv4(j.at(field).get<std::string>()) : std::nullopt;
  if (!ip) throw bad(std::string("dhcp.") + field);
  out = *ip;
}

}  // namespace

AccessPoint access_point_from_json(const json& j) {
  if (!j.is_object()) throw std::invalid_argument("radio world: an access point must be an object");
  AccessPoint ap;
  read(j, "ssid", ap.ssid);
  if (ap.ssid.empty() || ap.ssid.size() > 32) throw bad("ssid");
  read(j, "password", ap.password);
  read(j, "ecn", ap.ecn);
  if (ap.ecn < 0 || ap.ecn > 4) throw bad("ecn");
  read(j, "rssi", ap.rssi);
  read(j, "channel", ap.channel);
  if (ap.channel < 1 || ap.channel > 14) throw bad("channel");
  read(j, "wps", ap.wps);
  read(j, "wps_push", ap.wps_push);
  read(j, "hidden", ap.hidden);
  read(j, "up", ap.up);
  if (j.contains("bssid")) {
    auto mac = j.at("bssid").is_string() ? at::parse_mac(j.at("bssid").get<std::string>()) : std::nullopt;
    if (!mac) throw bad("bssid");
    ap.bssid = *mac;
  } else {
    // A stable made-up BSSID from the SSID so worlds need not spell one out.
    std::uint32_t h = 2166136261u;
    for (char c : ap.ssid) h = (h ^ static_cast<std::uint8_t>(c)) * 16777619u;
    ap.bssid = {0x00, 0x08, 0xdc, static_cast<std::uint8_t>(h >> 16), static_cast<std::uint8_t>(h >> 8),
                static_cast<std::uint8_t>(h)};
  }
  std::string result = "ok";
  read(j, "join_result", result);
  if (result == "ok") {
    ap.join_result = JoinResult::ok;
  } else if (result == "timeout") {
    ap.join_result = JoinResult::timeout;
  } else if (result == "refused") {
    ap.join_result = JoinResult::refused;
  } else {
    throw bad("join_result");
  }
  if (j.contains("dhcp")) {
    const json& d = j.at("dhcp");
    read_ip(d, "pool_start", ap.pool_start);
    read_ip(d, "gateway", ap.gateway);
    read_ip(d, "netmask", ap.netmask);
    read_ip(d, "dns", ap.dns);
  }
  return ap;
}

json to_json(const AccessPoint& ap) {
  static constexpr const char* kResults[] = {"ok", "timeout", "refused"};
  return {{"ssid", ap.ssid},
          {"ecn", ap.ecn},
          {"rssi", ap.rssi},
          {"bssid", at::format_mac(ap.bssid)},
          {"channel", ap.channel},
          {"wps", ap.wps},
          {"wps_push", ap.wps_push},
          {"hidden", ap.hidden},
          {"up", ap.up},
          {"join_result", kResults[static_cast<int>(ap.join_result)]},
          {"dhcp",
           {{"pool_start", at::format_ipv4(ap.pool_start)},
            {"gateway", at::format_ipv4(ap.gateway)},
            {"netmask", at::format_ipv4(ap.netmask)},
            {"dns", at::format_ipv4(ap.dns)}}}};
}

RadioWorld RadioWorld::from_json(const json& j) {
  RadioWorld w;
  if (!j.is_object() || !j.contains("access_points") || !j.at("access_points").is_array())
    throw std::invalid_argument("radio world: needs an access_points array");
  for (const json& ap : j.at("access_points")) w.add(access_point_from_json(ap));
  return w;
}

void RadioWorld::add(AccessPoint ap) {
  auto it = std::find_if(aps_.begin(), aps_.end(), [&](const AccessPoint& a) { return a.bssid == ap.bssid; });
  if (it != aps_.end()) {
    *it = std::move(ap);
  } else {
    aps_.push_back(std::move(ap));
  }
}

bool RadioWorld::remove(const std::string& ssid) {
  auto n = std::erase_if(aps_, [&](const AccessPoint& a) { return a.ssid == ssid; });
  return n > 0;
}

AccessPoint* RadioWorld::find(const std::string& ssid, const std::optional<at::Mac>& bssid) {
  for (auto& ap : aps_) {
    if (ap.ssid == ssid && (!bssid || ap.bssid == *bssid)) return &ap;
  }
  return nullptr;
}

const AccessPoint* RadioWorld::find_by_bssid(const at::Mac& bssid) const {
  for (const auto& ap : aps_) {
    if (ap.bssid == bssid) return &ap;
  }
  return nullptr;
}

AccessPoint* RadioWorld::find_by_bssid(const at::Mac& bssid) {
  return const_cast<AccessPoint*>(std::as_const(*this).find_by_bssid(bssid));
}

json RadioWorld::to_json() const {
  json arr = json::array();
  for (const auto& ap : aps_) arr.push_back(wizfi360::to_json(ap));
  return {{"access_points", arr}};
}

}  // namespace simdev::wizfi360
