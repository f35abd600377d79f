#include "devices/wizfi360/settings.hpp"

#include <cstdio>
#include <stdexcept>

#include "devices/wizfi360/json_fields.hpp"

namespace simdev::wizfi360 {
namespace {

using nlohmann::json;

json ip_json(const at::Ipv4& ip) { return at::format_ipv4(ip); }

at::Ipv4 read_ip(const json& j, const char* field) {
  auto ip = j.is_string() ? at::parse_ipv4(j.get<std::string>()) : std::nullopt;
  if (!ip) throw std::invalid_argument(std::string("bad IPv4 address in field ") + field);
  return *ip;
}

at::Mac read_mac(const json& j, const char* field) {
  auto mac = j.is_string() ? at::parse_mac(j.get<std::string>()) : std::nullopt;
  if (!mac) throw std::invalid_argument(std::string("bad MAC address in field ") + field);
  return *mac;
}

template <class T>
void read(const json& j, const char* field, T& out) {
  read_field(j, field, out, "bad value in field ");
}

json ipcfg_json(const IpConfig& c) {
  return {{"ip", ip_json(c.ip)}, {"gateway", ip_json(c.gateway)}, {"netmask", ip_json(c.netmask)}};
}

void read_ipcfg(const json& j, const char* field, IpConfig& c) {
  if (!j.contains(field)) return;
  const json& o = j.at(field);
  if (o.contains("ip")) c.ip = read_ip(o.at("ip"), field);
  if (o.contains("gateway")) c.gateway = read_ip(o.at("gateway"), field);
  if (o.contains("netmask")) c.netmask = read_ip(o.at("netmask"), field);
}

}  // namespace

json to_json(const Settings& s) {
  json j;
  j["uart"] = {{"baud", s.uart.baud}, {"data_bits", s.uart.data_bits}, {"stop_bits", s.uart.stop_bits},
               {"parity", s.uart.parity}, {"flow", s.uart.flow}};
  j["mode"] = s.mode;
  if (s.station_ap) {
    json ap = {{"ssid", s.station_ap->ssid}, {"password", s.station_ap->password}};
    if (s.station_ap->bssid) ap["bssid"] = at::format_mac(*s.station_ap->bssid);
    j["station_ap"] = ap;
  } else {
    j["station_ap"] = nullptr;
  }
  j["autoconnect"] = s.autoconnect;
  j["softap"] = {{"ssid", s.softap.ssid}, {"password", s.softap.password}, {"channel", s.softap.channel},
                 {"ecn", s.softap.ecn}, {"max_conn", s.softap.max_conn}, {"hidden", s.softap.hidden}};
  j["dhcp"] = s.dhcp;
  j["dhcps"] = {{"lease", s.dhcps.lease_minutes}, {"start", ip_json(s.dhcps.start)}, {"end", ip_json(s.dhcps.end)}};
  j["sta_ip"] = ipcfg_json(s.sta_ip);
  j["ap_ip"] = ipcfg_json(s.ap_ip);
  j["sta_mac"] = at::format_mac(s.sta_mac);
  j["country"] = {{"policy", s.country.policy}, {"code", s.country.code}, {"start_channel", s.country.start_channel},
                  {"channel_count", s.country.channel_count}};
  j["dns_servers"] = json::array();
  for (const auto& ip : s.dns_servers) j["dns_servers"].push_back(ip_json(ip));
  if (s.trans_link) {
    j["trans_link"] = {{"type", s.trans_link->type}, {"host", s.trans_link->host}, {"port", s.trans_link->port},
                       {"keepalive", s.trans_link->keepalive}, {"local_port", s.trans_link->local_port}};
  } else {
    j["trans_link"] = nullptr;
  }
  j["ssl_cconf"] = s.ssl_cconf;
  j["ca_pem"] = s.ca_pem;
  j["client_cert_pem"] = s.client_cert_pem;
  j["client_key_pem"] = s.client_key_pem;
  return j;
}

Settings settings_from_json(const json& j, const Settings& base) {
  if (!j.is_object()) throw std::invalid_argument("settings must be a JSON object");
  Settings s = base;
  if (j.contains("uart")) {
    const json& u = j.at("uart");
    read(u, "baud", s.uart.baud);
    read(u, "data_bits", s.uart.data_bits);
    read(u, "stop_bits", s.uart.stop_bits);
    read(u, "parity", s.uart.parity);
    read(u, "flow", s.uart.flow);
  }
  read(j, "mode", s.mode);
  if (j.contains("station_ap")) {
    const json& ap = j.at("station_ap");
    if (ap.is_null()) {
      s.station_ap.reset();
    } else {
      StationAp st;
      read(ap, "ssid", st.ssid);
      read(ap, "password", st.password);
      if (ap.contains("bssid") && !ap.at("bssid").is_null()) st.bssid = read_mac(ap.at("bssid"), "station_ap.bssid");
      s.station_ap = st;
    }
  }
  read(j, "autoconnect", s.autoconnect);
  if (j.contains("softap")) {
    const json& a = j.at("softap");
    read(a, "ssid", s.softap.ssid);
    read(a, "password", s.softap.password);
    read(a, "channel", s.softap.channel);
    read(a, "ecn", s.softap.ecn);
    read(a, "max_conn", s.softap.max_conn);
    read(a, "hidden", s.softap.hidden);
  }
  read(j, "dhcp", s.dhcp);
  if (j.contains("dhcps")) {
    const json& d = j.at("dhcps");
    read(d, "lease", s.dhcps.lease_minutes);
    if (d.contains("start")) s.dhcps.start = read_ip(d.at("start"), "dhcps.start");
    if (d.contains("end")) s.dhcps.end = read_ip(d.at("end"), "dhcps.end");
  }
  read_ipcfg(j, "sta_ip", s.sta_ip);
  read_ipcfg(j, "ap_ip", s.ap_ip);
  if (j.contains("sta_mac")) s.sta_mac = read_mac(j.at("sta_mac"), "sta_mac");
  if (j.contains("country")) {
    const json& c = j.at("country");
    read(c, "policy", s.country.policy);
    read(c, "code", s.country.code);
    read(c, "start_channel", s.country.start_channel);
    read(c, "channel_count", s.country.channel_count);
  }
  if (j.contains("dns_servers")) {
    const json& d = j.at("dns_servers");
    if (!d.is_array()) throw std::invalid_argument("bad value in field dns_servers");
    s.dns_servers.clear();
    for (const auto& ip : d) s.dns_servers.push_back(read_ip(ip, "dns_servers"));
  }
  if (j.contains("trans_link")) {
    const json& t = j.at("trans_link");
    if (t.is_null()) {
      s.trans_link.reset();
    } else {
      TransLink link;
      read(t, "type", link.type);
      read(t, "host", link.host);
      read(t, "port", link.port);
      read(t, "keepalive", link.keepalive);
      read(t, "local_port", link.local_port);
      s.trans_link = link;
    }
  }
  read(j, "ssl_cconf", s.ssl_cconf);
  read(j, "ca_pem", s.ca_pem);
  read(j, "client_cert_pem", s.client_cert_pem);
  read(j, "client_key_pem", s.client_key_pem);
  return s;
}

at::Mac softap_mac(const at::Mac& sta_mac) {
  at::Mac m = sta_mac;
  m[0] |= 0x02;
  return m;
}

std::string default_device_name(const at::Mac& mac) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "WizFi360_%02X%02X%02X", mac[3], mac[4], mac[5]);
  return buf;
}

std::string softap_ssid(const Settings& s) {
  return s.softap.ssid.empty() ? default_device_name(s.sta_mac) : s.softap.ssid;
}

}  // namespace simdev::wizfi360
