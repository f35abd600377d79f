#pragma once
// The device's typed configuration, loaded once from the merged JSON (configs/wizfi360.json + user config).
#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "devices/wizfi360/settings.hpp"

namespace simdev::wizfi360 {

using Millis = std::chrono::milliseconds;

// Every delay the module shows on the wire; tests shrink them.
struct Timing {
  Millis boot{300};             // AT+RST/power-on until ready
  Millis scan{1500};            // CWLAP, and CWJAP to an SSID nobody answers
  Millis join{1000};            // association until WIFI CONNECTED
  Millis dhcp{200};             // WIFI CONNECTED until WIFI GOT IP
  Millis wrong_password{5000};  // until +CWJAP:2
  Millis join_timeout{15000};   // until +CWJAP:1 (AP marked "join_result":"timeout")
  Millis refused{2000};         // until +CWJAP:4 (AP marked "join_result":"refused")
  Millis rejoin{1000};          // autoconnect: AP back (or boot) until the rejoin attempt starts
  Millis smart_try{5000};       // one SmartConfig try
  Millis wps_timeout{120000};   // WPS gives up
  double sleep_scale = 1.0;     // AT+GSLP time multiplier (tests shrink the 1 s minimum)
};

struct Versions {
  std::string at = "1.1.1.9(Sep  5 2022 13:07:48)";
  std::string sdk = "3.2.0(a0ffff9f)";
  std::string compile_time = "Sep  5 2022 13:07:48";
};

struct Config {
  Versions versions;
  bool noise_byte = true;
  std::uint8_t noise_value = 0xFC;
  std::size_t max_line = 2560;
  bool accept_lower_at = true;
  Timing timing;
  Settings factory;
  long factory_sleep_mode = 2;
  long netconfig_port = 80;  // device port of the WIZ_NETCONFIG page (the listen map picks the host port)
  nlohmann::json world;  // the radio world object (see radio_world.hpp)
};

// Throws std::invalid_argument naming the bad field.
Config load_config(const nlohmann::json& j);

}  // namespace simdev::wizfi360
