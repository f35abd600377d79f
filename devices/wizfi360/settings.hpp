#pragma once
// The WizFi360's configurable settings. The same struct holds the factory values, the flash (_DEF) layer and
// the current (_CUR) layer; §3 of spec/wizfi360.md says which commands write which layer.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/at/args.hpp"

namespace simdev::wizfi360 {

struct UartConfig {
  long baud = 115200;
  long data_bits = 8;
  long stop_bits = 1;
  long parity = 0;
  long flow = 0;
  bool operator==(const UartConfig&) const = default;
};

struct StationAp {
  std::string ssid;
  std::string password;
  std::optional<at::Mac> bssid;
  bool operator==(const StationAp&) const = default;
};

struct SoftApConfig {
  std::string ssid;  // empty: WizFi360_XXYYZZ from the station MAC
  std::string password;
  long channel = 1;
  long ecn = 0;
  long max_conn = 4;
  long hidden = 0;
  bool operator==(const SoftApConfig&) const = default;
};

struct IpConfig {
  at::Ipv4 ip{};
  at::Ipv4 gateway{};
  at::Ipv4 netmask{};
  bool operator==(const IpConfig&) const = default;
};

struct DhcpRange {
  long lease_minutes = 120;
  at::Ipv4 start{};
  at::Ipv4 end{};
  bool operator==(const DhcpRange&) const = default;
};

struct Country {
  long policy = 1;
  std::string code = "KR";
  long start_channel = 1;
  long channel_count = 13;
  bool operator==(const Country&) const = default;
};

// The link AT+SAVETRANSLINK stores: opened by the module itself after boot, straight into passthrough.
struct TransLink {
  std::string type = "TCP";  // "TCP" or "UDP"
  std::string host;
  long port = 0;
  long keepalive = 0;   // TCP
  long local_port = 0;  // UDP
  bool operator==(const TransLink&) const = default;
};

// Bits of the DHCP mask as CWDHCP reports it.
inline constexpr long kDhcpSoftAp = 1;
inline constexpr long kDhcpStation = 2;

struct Settings {
  UartConfig uart;
  long mode = 2;
  std::optional<StationAp> station_ap;
  bool autoconnect = true;
  SoftApConfig softap;
  long dhcp = kDhcpSoftAp | kDhcpStation;
  DhcpRange dhcps;
  IpConfig sta_ip;
  IpConfig ap_ip;
  at::Mac sta_mac{};
  Country country;
  std::vector<at::Ipv4> dns_servers;     // CIPDNS_DEF / _CUR (empty: the factory server)
  std::optional<TransLink> trans_link;   // SAVETRANSLINK
  long ssl_cconf = 0;                    // CIPSSLCCONF: bit 0 client certificate, bit 1 verify the server
  std::string ca_pem;                    // CASEND
  std::string client_cert_pem;           // CLICASEND
  std::string client_key_pem;            // AWSPKSEND
  bool operator==(const Settings&) const = default;
};

nlohmann::json to_json(const Settings& s);
// Reads every field present in `j`; missing fields keep the value from `base`. Throws std::invalid_argument
// naming the field on a malformed value.
Settings settings_from_json(const nlohmann::json& j, const Settings& base);

// The SoftAP's MAC: the station MAC with the locally-administered bit set (00:08:dc:.. -> 02:08:dc:..).
at::Mac softap_mac(const at::Mac& sta_mac);
// "WizFi360_XXYYZZ" from the last three MAC bytes, upper-case hex.
std::string default_device_name(const at::Mac& sta_mac);
std::string softap_ssid(const Settings& s);

}  // namespace simdev::wizfi360
