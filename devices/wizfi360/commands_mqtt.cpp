// MQTT commands (§4, manual 3.3.29-3.3.36): MQTTSET, MQTTTOPIC, MQTTQOS, MQTTCON, MQTTPUB, MQTTPUBSEND, MQTTDIS.
// The settings are RAM only; the session itself lives in mqtt_session.cpp.
#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/mqtt_session.hpp"
#include "devices/wizfi360/tls_material.hpp"
#include "libsim/mqtt/topic_check.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr std::size_t kMaxField = 512;  // the manual's 50-byte limit is not enforced (decision 12)
constexpr std::size_t kMaxTopic = 256;
constexpr std::size_t kMaxSubTopics = 5;

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// Decision 12: real modules take more than the manual allows, so these are accepted, with a word in the log.
void warn_beyond_manual(Module& m, const MqttLogin& login) {
  const auto& log = m.context().log;
  if (!log) return;
  constexpr std::size_t kManualField = 50;
  constexpr long kManualMinKeepalive = 30;
  constexpr long kManualMaxKeepalive = 300;
  constexpr long kLibraryMinKeepalive = 5;
  for (const auto* field : {&login.user, &login.password, &login.client_id})
    if (field->size() > kManualField)
      log->warn("MQTTSET: a field of {} bytes is longer than the manual's {} (accepted)", field->size(), kManualField);
  if (login.keepalive_s < kLibraryMinKeepalive)
    log->warn("MQTTSET: keepalive {} s is sent as {} s (the MQTT library's minimum)", login.keepalive_s,
              kLibraryMinKeepalive);
  else if (login.keepalive_s < kManualMinKeepalive || login.keepalive_s > kManualMaxKeepalive)
    log->warn("MQTTSET: keepalive {} s is outside the manual's {}..{} (accepted)", login.keepalive_s,
              kManualMinKeepalive, kManualMaxKeepalive);
}

void mqttset(Module& m, MqttSession& s, const at::Request& req) {
  auto a = parse_args(req, 4, 4);
  if (!a) return m.error();
  auto user = at::to_string((*a)[0], 0, kMaxField);
  auto password = at::to_string((*a)[1], 0, kMaxField);
  auto client_id = at::to_string((*a)[2], 0, kMaxField);
  auto keepalive = at::to_int((*a)[3], 1, 65535);
  if (!user || !password || !client_id || !keepalive) return m.error();
  s.login = MqttLogin{*user, *password, *client_id, *keepalive};
  warn_beyond_manual(m, s.login);
  m.ok();
}

void mqttset_query(Module& m, const MqttSession& s) {
  m.send(quoted(s.login.user) + "," + quoted(s.login.password) + "," + quoted(s.login.client_id) + "," +
         std::to_string(s.login.keepalive_s) + "\r\n\r\nOK\r\n");
}

// `"pub","sub1"[,...,"sub5"]`; while connected the old subscriptions are replaced (fw >= 1.1.1.8).
void mqtttopic(Module& m, MqttSession& s, const at::Request& req) {
  auto a = at::split_args(req.args);
  if (!a || a->empty()) return m.error();
  auto pub = at::to_string((*a)[0], 1, kMaxTopic);
  if (!pub || !mqtt::valid_publish_topic(*pub)) return m.error("MQTT Pub Topic ERROR");
  if (a->size() < 2) return m.error("MQTT Sub Topic ERROR");
  if (a->size() > 1 + kMaxSubTopics) return m.error("MQTT Topic End ERROR");
  std::vector<std::string> subs;
  for (std::size_t i = 1; i < a->size(); ++i) {
    auto topic = at::to_string((*a)[i], 1, kMaxTopic);
    if (!topic || !mqtt::valid_subscribe_topic(*topic)) return m.error("MQTT Sub Topic ERROR");
    subs.push_back(*topic);
  }
  auto old = std::exchange(s.sub_topics, std::move(subs));
  s.pub_topic = *pub;
  if (!s.connected()) return m.ok();
  s.resubscribe(old, [&m](bool ok) { ok ? m.ok() : m.error(); });
}

void mqtttopic_query(Module& m, const MqttSession& s) {
  std::string out = quoted(s.pub_topic);
  for (const auto& topic : s.sub_topics) out += "," + quoted(topic);
  m.send(out + "\r\n\r\nOK\r\n");
}

// `<tls>,"broker",port` (CIPMUX=0) or `<id>,<tls>,"broker",port` (CIPMUX=1); tls 0 = TCP, 1 = TLS (decision 11).
void mqttcon(Module& m, MqttSession& s, const at::Request& req) {
  Links& links = m.links();
  auto a = parse_args(req, 3, 4);
  if (!a) return m.error();
  std::size_t first = 0;
  int id = 0;
  if (links.mux()) {
    if (a->size() != 4) return m.error("MUX=1");
    auto parsed = at::to_int((*a)[0], 0, Links::kCount - 1);
    if (!parsed) return m.error("ID ERROR");
    id = static_cast<int>(*parsed);
    first = 1;
  } else if (a->size() != 3) {
    return m.error("MUX=0");
  }
  auto tls = at::to_int((*a)[first], 0, 1);
  if (!tls) return m.error();
  auto host = at::to_string((*a)[first + 1], 1, 128);
  if (!host) return m.error("IP ERROR");
  auto port = at::to_int((*a)[first + 2], 1, 65535);
  if (!port) return m.error("port error");
  mqtt::ClientOptions options;
  options.username = s.login.user;
  options.password = s.login.password;
  options.client_id = s.login.client_id;
  options.keepalive_s = static_cast<int>(s.login.keepalive_s);
  if (*tls == 1) options.tls = tls_options_for(m.current(), *host);
  s.start(id, net::HostPort{*host, static_cast<std::uint16_t>(*port)}, std::move(options));
}

void publish(Module& m, MqttSession& s, Bytes message) {
  s.publish(std::move(message), [&m](bool ok) { ok ? m.ok() : m.error("MQTT Pub ERROR"); });
}

// §1.3 quoting exception: the message is everything between the first and the last `"`, unescaped JSON included.
void mqttpub(Module& m, MqttSession& s, const at::Request& req) {
  const std::string& text = req.args;
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return m.error();
  const std::string message = text.substr(1, text.size() - 2);
  if (message.size() > MqttSession::kMaxMessage) return m.error("too long");
  if (!s.connected()) return m.error("MQTT Pub ERROR");
  publish(m, s, Bytes(message.begin(), message.end()));
}

// `<len>`: prompt, exactly len raw bytes (binary-safe, not echoed), then the publish.
void mqttpubsend(Module& m, MqttSession& s, const at::Request& req) {
  auto a = parse_args(req, 1, 1);
  auto len = a ? at::to_int((*a)[0], 1, static_cast<long>(MqttSession::kMaxMessage)) : std::nullopt;
  if (!len) return m.error();
  if (!s.connected()) return m.error("MQTT Pub ERROR");
  m.send("\r\nOK\r\n> ");
  auto payload = std::make_shared<Bytes>();
  const auto want = static_cast<std::size_t>(*len);
  m.set_raw_input([&m, &s, payload, want](ByteView bytes) {
    const std::size_t take = std::min(bytes.size(), want - payload->size());
    payload->insert(payload->end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
    if (payload->size() == want) {
      m.set_raw_input(nullptr);
      publish(m, s, std::move(*payload));
    }
    return take;
  });
}

void mqttdis(Module& m, MqttSession& s) {
  if (!s.connected()) return m.error();
  s.disconnect();
  m.ok();
}

}  // namespace

void add_mqtt_commands(Module& m, at::CommandTable& t) {
  auto session = std::make_shared<MqttSession>(
      m, MqttConfig::from_json(m.context().config.is_object() ? m.context().config.value("mqtt", nlohmann::json())
                                                              : nlohmann::json()));
  m.add_reset_hook([session] { session->reset(); });
  t.add({.name = "+MQTTSET",
         .query = [&m, session](const at::Request&) { mqttset_query(m, *session); },
         .set = [&m, session](const at::Request& req) { mqttset(m, *session, req); }});
  t.add({.name = "+MQTTTOPIC",
         .query = [&m, session](const at::Request&) { mqtttopic_query(m, *session); },
         .set = [&m, session](const at::Request& req) { mqtttopic(m, *session, req); }});
  t.add({.name = "+MQTTQOS",
         .query = [&m, session](const at::Request&) { m.send("\"" + std::to_string(session->qos) + "\"\r\n\r\nOK\r\n"); },
         .set =
             [&m, session](const at::Request& req) {
               auto a = parse_args(req, 1, 1);
               auto qos = a ? at::to_int((*a)[0], 0, 2) : std::nullopt;
               if (!qos) return m.error();
               session->qos = static_cast<int>(*qos);
               m.ok();
             }});
  t.add({.name = "+MQTTCON", .set = [&m, session](const at::Request& req) { mqttcon(m, *session, req); }});
  t.add({.name = "+MQTTPUB", .set = [&m, session](const at::Request& req) { mqttpub(m, *session, req); }});
  t.add({.name = "+MQTTPUBSEND", .set = [&m, session](const at::Request& req) { mqttpubsend(m, *session, req); }});
  t.add({.name = "+MQTTDIS", .execute = [&m, session](const at::Request&) { mqttdis(m, *session); }});
  add_cloud_rows(m, t, session);
}

}  // namespace simdev::wizfi360
