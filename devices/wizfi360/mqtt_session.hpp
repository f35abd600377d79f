#pragma once
// The WizFi360's one MQTT(S) session (§4): the RAM-only settings of MQTTSET/MQTTTOPIC/MQTTQOS/AZSET/AWSSET, and
// the libmosquitto client behind MQTTCON, AZCON and AWSCON. While up, the session holds a link id (Link::held,
// type MQTT/MQTTS) so CIPSTATUS shows it; it prints its own CONNECT / CLOSED / `<topic> -> <payload>` lines.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/at/command_table.hpp"
#include "libsim/mqtt/client.hpp"
#include "libsim/net/host_port.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::wizfi360 {

class Module;

// The "mqtt" object of the device configuration.
struct MqttConfig {
  std::chrono::milliseconds connect_timeout{10000};    // DNS + TCP + TLS + CONNACK + SUBACKs
  std::chrono::milliseconds connect_fail_delay{1000};  // without a network the failure is reported this late
  std::chrono::milliseconds misc_interval{250};        // libmosquitto housekeeping (keepalive pings)
  long default_keepalive_s = 60;                       // before any AT+MQTTSET
  long sas_token_ttl_s = 3600;                         // AZCON's SAS token expires this long after the connect
  long cloud_port = 8883;                              // AZCON / AWSCON broker port
  std::string aws_endpoint;                            // AWSCON without a parameter or AWSSET
  static MqttConfig from_json(const nlohmann::json& mqtt);
};

struct MqttLogin {
  std::string user;
  std::string password;
  std::string client_id;
  long keepalive_s = 60;
};

struct AzureIdentity {
  std::string hub;     // "<hub>" of <hub>.azure-devices.net
  std::string device;
  Bytes key;           // base64-decoded device key
};

class MqttSession {
 public:
  static constexpr std::size_t kMaxMessage = 2048;

  MqttSession(Module& module, MqttConfig config);
  ~MqttSession();
  MqttSession(const MqttSession&) = delete;
  MqttSession& operator=(const MqttSession&) = delete;

  const MqttConfig& config() const { return config_; }

  // ---- RAM-only settings (cleared at every boot) ----
  MqttLogin login;
  std::string pub_topic;
  std::vector<std::string> sub_topics;
  int qos = 0;
  std::optional<AzureIdentity> azure;
  std::string aws_endpoint;

  // Connecting or connected.
  bool active() const { return state_ != State::idle; }
  bool connected() const { return state_ == State::connected; }
  bool tls() const { return tls_; }

  // Opens the session on link `id` (busy until the answer): prints `[id,]CONNECT` + OK after CONNACK and every
  // SUBACK, or `[id,]CONNECT FAIL` + ERROR; refuses at once with the §1.6 reason line when it cannot start.
  void start(int id, const net::HostPort& broker, mqtt::ClientOptions options);
  // MQTTTOPIC while connected: unsubscribes `old_topics`, subscribes sub_topics; `done(ok)` after the SUBACKs.
  void resubscribe(const std::vector<std::string>& old_topics, std::function<void(bool ok)> done);
  // Publishes to pub_topic with `qos`; `done(ok)` once libmosquitto reports it complete (sent for QoS 0,
  // acknowledged for QoS 1/2) or failed.
  void publish(Bytes payload, std::function<void(bool ok)> done);
  // MQTTDIS: sends DISCONNECT, frees the link, prints `[id,]CLOSED`.
  void disconnect();
  // Boot/shutdown: drops the session and the settings without printing.
  void reset();

 private:
  enum class State { idle, connecting, connected };

  void connect(int id, const net::HostPort& broker, mqtt::ClientOptions options);
  void on_connect(int rc);
  void on_subscribed(int mid, const std::vector<int>& granted);
  void on_published(int mid);
  void on_lost();
  void on_message(const std::string& topic, ByteView payload);
  bool subscribe_all(std::function<void(bool ok)> done);
  void fail_connect();
  void occupy_link();
  // Forgets the session silently (link release, reset, AT+ABORT).
  void abandon();
  void finish_publish(bool ok);

  Module& module_;
  MqttConfig config_;
  State state_ = State::idle;
  int id_ = 0;
  bool tls_ = false;
  net::HostPort broker_;
  std::unique_ptr<mqtt::Client> client_;
  std::set<int> pending_subacks_;
  bool subacks_ok_ = true;
  std::function<void(bool ok)> on_subscribed_all_;
  int pending_publish_ = 0;
  std::function<void(bool ok)> on_published_;
};

// AZSET, AZCON, AWSSET, AWSCON rows (commands_cloud.cpp); they share the MQTT session, so add_mqtt_commands adds them.
void add_cloud_rows(Module& m, at::CommandTable& t, const std::shared_ptr<MqttSession>& session);

}  // namespace simdev::wizfi360
