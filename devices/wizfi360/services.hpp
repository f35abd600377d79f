#pragma once
// The services family (spec §2.3: CIPDOMAIN, CIPDNS_CUR/_DEF, PING, CIPSNTPCFG/CIPSNTPTIME, CIUPDATE): its
// configuration (the "services" object of the device configuration) and the state its rows share.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "devices/wizfi360/config.hpp"
#include "libsim/at/command_table.hpp"
#include "libsim/net/virtual_network.hpp"

namespace simdev::wizfi360 {

class Module;
class SntpClock;
class FirmwareDownload;

struct ServicesConfig {
  std::string dns_factory = "208.67.220.220";  // CIPDNS with nothing stored (and after en=0)
  std::string dns_enabled = "208.67.222.222";  // CIPDNS en=1 without servers
  Millis dns_timeout{5000};                    // CIPDOMAIN gives up with DNS Fail
  Millis ping_timeout{1000};                   // PING of an unreachable host answers +timeout this late
  long ping_rtt_ms = 0;                        // > 0: PING reports this; 0: measured (at least 1 ms)
  bool sntp_enabled = false;                   // power-up SNTP configuration (RAM only)
  long sntp_timezone = 0;
  std::vector<std::string> sntp_servers{"cn.ntp.org.cn", "ntp.sjtu.edu.cn", "us.pool.ntp.org"};
  std::uint16_t sntp_port = 123;               // the servers' port (the address map may move it)
  Millis sntp_timeout{1000};                   // one server's answer
  Millis sntp_interval{3600000};               // re-sync period
  std::string update_url = "http://docs.wiznet.io/img/products/wizfi360/download/O11/WizFi360_SDK.img";
  Millis update_timeout{30000};                // whole CIUPDATE download
  std::size_t update_max_bytes = 8u << 20;     // a larger image fails the update

  // Throws std::invalid_argument naming the field.
  static ServicesConfig from_json(const nlohmann::json& services);
};

// What the rows share; one per module, dropped at every reset.
struct ServicesState {
  explicit ServicesState(ServicesConfig c);
  ~ServicesState();
  ServicesConfig config;
  std::unique_ptr<net::PendingConnect> lookup;  // CIPDOMAIN / PING resolution in flight
  std::unique_ptr<FirmwareDownload> update;     // CIUPDATE in flight
  std::unique_ptr<SntpClock> sntp;
};

void add_dns_commands(Module& m, at::CommandTable& t, std::shared_ptr<ServicesState> state);
void add_ping_command(Module& m, at::CommandTable& t, std::shared_ptr<ServicesState> state);
void add_sntp_commands(Module& m, at::CommandTable& t, std::shared_ptr<ServicesState> state);
void add_update_command(Module& m, at::CommandTable& t, std::shared_ptr<ServicesState> state);

// A station with an IP address can reach the network (DNS, PING, SNTP, CIUPDATE need one).
bool station_online(Module& m);

}  // namespace simdev::wizfi360
