#pragma once
// The virtual radio neighbourhood the station sees: access points with their credentials, signal, DHCP service
// and failure behaviour. Loaded from configs/wizfi360_world.json (or the device config's "world") and edited
// at run time through the control plane.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/at/args.hpp"

namespace simdev::wizfi360 {

enum class JoinResult { ok, timeout, refused };  // forced outcome for an AP with the right password

struct AccessPoint {
  std::string ssid;
  std::string password;
  long ecn = 3;
  long rssi = -60;
  at::Mac bssid{};
  long channel = 1;
  bool wps = false;
  bool wps_push = false;  // AT+WPS completes against this AP by itself
  bool hidden = false;
  bool up = true;
  JoinResult join_result = JoinResult::ok;
  at::Ipv4 pool_start{192, 168, 10, 100};
  at::Ipv4 gateway{192, 168, 10, 1};
  at::Ipv4 netmask{255, 255, 255, 0};
  at::Ipv4 dns{192, 168, 10, 1};
};

// Throws std::invalid_argument naming the bad field.
AccessPoint access_point_from_json(const nlohmann::json& j);
nlohmann::json to_json(const AccessPoint& ap);

class RadioWorld {
 public:
  static RadioWorld from_json(const nlohmann::json& j);

  const std::vector<AccessPoint>& access_points() const { return aps_; }
  // Replaces an AP with the same BSSID, else appends.
  void add(AccessPoint ap);
  bool remove(const std::string& ssid);
  AccessPoint* find(const std::string& ssid, const std::optional<at::Mac>& bssid = std::nullopt);
  const AccessPoint* find_by_bssid(const at::Mac& bssid) const;
  AccessPoint* find_by_bssid(const at::Mac& bssid);
  nlohmann::json to_json() const;

 private:
  std::vector<AccessPoint> aps_;
};

}  // namespace simdev::wizfi360
