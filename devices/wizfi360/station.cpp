// The station side of Wi-Fi: joining an AP of the radio world, DHCP, losing the AP, autoconnect.
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

void Module::join(const StationAp& target, std::function<void(int code)> done) {
  if (link_.state == StationLink::State::connected) send("WIFI DISCONNECT\r\n");
  link_ = StationLink{};
  station_wanted_ = true;
  finish_join(target, std::move(done));
}

void Module::finish_join(const StationAp& target, std::function<void(int)> done) {
  link_.state = StationLink::State::joining;
  const Timing& t = config_.timing;
  auto fail_after = [this, &done](Millis delay, int code) {
    after(TimerSlot::station, delay, [this, code, done] {
      link_ = StationLink{};
      if (done) done(code);
    });
  };
  const AccessPoint* ap = world_.find(target.ssid, target.bssid);
  if (!ap || !ap->up) return fail_after(t.scan, 3);
  if (ap->ecn != 0 && ap->password != target.password) return fail_after(t.wrong_password, 2);
  if (ap->join_result == JoinResult::timeout) return fail_after(t.join_timeout, 1);
  if (ap->join_result == JoinResult::refused) return fail_after(t.refused, 4);

  at::Mac bssid = ap->bssid;
  after(TimerSlot::station, t.join, [this, bssid, done] {
    const AccessPoint* ap = world_.find_by_bssid(bssid);
    if (!ap || !ap->up) {  // vanished while we were associating
      link_ = StationLink{};
      if (done) done(1);
      return;
    }
    link_.state = StationLink::State::connected;
    link_.bssid = bssid;
    send("WIFI CONNECTED\r\n");
    after(TimerSlot::station, config_.timing.dhcp, [this, bssid, done] {
      const AccessPoint* ap = world_.find_by_bssid(bssid);
      if (link_.state != StationLink::State::connected || !ap) return;
      if (current_.dhcp & kDhcpStation) {
        link_.ip = IpConfig{ap->pool_start, ap->gateway, ap->netmask};
      } else {
        link_.ip = current_.sta_ip;
      }
      link_.got_ip = true;
      send("WIFI GOT IP\r\n");
      if (done) done(0);
    });
  });
}

void Module::leave_ap() {
  cancel(TimerSlot::station);
  if (link_.state == StationLink::State::connected) send("WIFI DISCONNECT\r\n");
  link_ = StationLink{};
}

void Module::quit_ap() {
  leave_ap();
  station_wanted_ = false;
}

void Module::start_autoconnect(Millis delay) {
  if (!station_enabled() || !current_.station_ap || !station_wanted_ || !current_.autoconnect) return;
  if (link_.state != StationLink::State::idle || busy_) return;
  const AccessPoint* ap = world_.find(current_.station_ap->ssid, current_.station_ap->bssid);
  if (!ap || !ap->up) return;  // wait for the world to change
  link_.state = StationLink::State::joining;
  after(TimerSlot::station, delay, [this] {
    if (!current_.station_ap) {
      link_ = StationLink{};
      return;
    }
    finish_join(*current_.station_ap, nullptr);
  });
}

void Module::world_changed() {
  if (link_.state == StationLink::State::connected) {
    const AccessPoint* ap = link_.bssid ? world_.find_by_bssid(*link_.bssid) : nullptr;
    if (!ap || !ap->up) leave_ap();
  }
  if (link_.state == StationLink::State::idle) start_autoconnect(config_.timing.rejoin);
}

void Module::mode_changed() {
  if (!station_enabled()) leave_ap();
  if (!softap_enabled()) softap_stations_.clear();
  if (station_enabled() && link_.state == StationLink::State::idle) start_autoconnect(Millis(0));
}

}  // namespace simdev::wizfi360
