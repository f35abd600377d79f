#pragma once
// Session settings for mqtt::Client (MQTT 3.1.1).
#include <chrono>
#include <optional>
#include <string>

#include "libsim/net/tls_options.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::mqtt {

struct Will {
  std::string topic;
  Bytes payload;
  int qos = 0;
  bool retain = false;
};

struct ClientOptions {
  std::string client_id;               // empty: the broker assigns one (needs clean_session)
  std::string username;                // empty and no password: no username is sent
  std::string password;                // empty: none sent; set without a username: sent after an empty username
  bool always_send_credentials = false;  // both flags set even for empty strings (Paho-based firmware, flags C2)
  int keepalive_s = 60;                // 0 = off; 1..4 are raised to 5 (libmosquitto's minimum)
  bool clean_session = true;
  std::optional<Will> will;
  std::optional<net::TlsOptions> tls;  // set = MQTTS. TlsOptions::sni is not applied (libmosquitto sends the IP)
  // Resolution + TCP + TLS + CONNACK must complete within this, else on_connect(kTimedOut).
  std::chrono::milliseconds connect_timeout{10000};
  // How often libmosquitto's housekeeping (keepalive PINGREQ, retries) runs.
  std::chrono::milliseconds misc_interval{250};
  // Spin guard: more than this many read wake-ups within one misc_interval while nothing is received
  // means a dead socket libmosquitto does not notice (stack.md M3); the session is then treated as lost.
  int spin_guard_wakeups = 2000;
};

}  // namespace simdev::mqtt
