#include "devices/wizfi360/mqtt_session.hpp"

#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

MqttConfig MqttConfig::from_json(const nlohmann::json& mqtt) {
  MqttConfig c;
  if (!mqtt.is_object()) return c;
  c.connect_timeout = std::chrono::milliseconds(mqtt.value("connect_timeout_ms", c.connect_timeout.count()));
  c.connect_fail_delay = std::chrono::milliseconds(mqtt.value("connect_fail_delay_ms", c.connect_fail_delay.count()));
  c.misc_interval = std::chrono::milliseconds(mqtt.value("misc_interval_ms", c.misc_interval.count()));
  c.default_keepalive_s = mqtt.value("default_keepalive_s", c.default_keepalive_s);
  c.sas_token_ttl_s = mqtt.value("sas_token_ttl_s", c.sas_token_ttl_s);
  c.cloud_port = mqtt.value("cloud_port", c.cloud_port);
  c.aws_endpoint = mqtt.value("aws_endpoint", c.aws_endpoint);
  return c;
}

MqttSession::MqttSession(Module& module, MqttConfig config) : module_(module), config_(std::move(config)) {
  login.keepalive_s = config_.default_keepalive_s;
}

MqttSession::~MqttSession() = default;

void MqttSession::start(int id, const net::HostPort& broker, mqtt::ClientOptions options) {
  Links& links = module_.links();
  if (active()) return module_.error("mqtt or mqtts reach max");
  if (options.tls && links.tls_sessions() > 0) return module_.error("ssl or mqtts reach max");
  if (links.at(id).open()) return module_.error("ALREADY CONNECTED");
  if (options.username.empty() && options.client_id.empty()) return module_.error("no username or clientid");
  if (pub_topic.empty() || sub_topics.empty()) return module_.error("no pub or sub topic");
  if (!module_.link().got_ip && !module_.softap_enabled()) return module_.error("no ip");
  connect(id, broker, std::move(options));
}

void MqttSession::connect(int id, const net::HostPort& broker, mqtt::ClientOptions options) {
  id_ = id;
  broker_ = broker;
  tls_ = options.tls.has_value();
  state_ = State::connecting;
  module_.begin_busy([this] { abandon(); });
  if (!module_.network()) {
    module_.after(TimerSlot::command, config_.connect_fail_delay, [this] { fail_connect(); });
    return;
  }
  options.clean_session = true;
  options.connect_timeout = config_.connect_timeout;
  options.misc_interval = config_.misc_interval;
  client_ = std::make_unique<mqtt::Client>(*module_.network(), std::move(options));
  client_->on_connect = [this](int rc) { on_connect(rc); };
  client_->on_disconnect = [this](int) { on_lost(); };
  client_->on_message = [this](const std::string& topic, ByteView payload, int, bool) { on_message(topic, payload); };
  client_->on_subscribe = [this](int mid, const std::vector<int>& granted) { on_subscribed(mid, granted); };
  client_->on_publish = [this](int mid) { on_published(mid); };
  client_->connect(broker);
}

void MqttSession::on_connect(int rc) {
  if (state_ != State::connecting) return;
  if (rc != 0) return fail_connect();
  const bool queued = subscribe_all([this](bool ok) {
    if (!ok) return fail_connect();
    occupy_link();
    module_.send(module_.links().prefix(id_) + "CONNECT\r\n\r\nOK\r\n");
    module_.end_busy();
  });
  if (!queued) fail_connect();
}

bool MqttSession::subscribe_all(std::function<void(bool ok)> done) {
  pending_subacks_.clear();
  subacks_ok_ = true;
  for (const auto& topic : sub_topics) {
    const int mid = client_->subscribe(topic, 0);  // subscriptions are always QoS 0 (§4)
    if (mid <= 0) return false;
    pending_subacks_.insert(mid);
  }
  on_subscribed_all_ = std::move(done);
  if (pending_subacks_.empty()) std::exchange(on_subscribed_all_, nullptr)(true);
  return true;
}

void MqttSession::on_subscribed(int mid, const std::vector<int>& granted) {
  if (pending_subacks_.erase(mid) == 0) return;
  for (int qos : granted)
    if (qos > 2) subacks_ok_ = false;  // 0x80: the broker refused the subscription
  if (pending_subacks_.empty() && on_subscribed_all_) std::exchange(on_subscribed_all_, nullptr)(subacks_ok_);
}

void MqttSession::resubscribe(const std::vector<std::string>& old_topics, std::function<void(bool ok)> done) {
  if (!connected()) return done(false);
  for (const auto& topic : old_topics) client_->unsubscribe(topic);
  module_.begin_busy([this] { on_subscribed_all_ = nullptr; });
  const bool queued = subscribe_all([this, done](bool ok) {
    module_.end_busy();
    done(ok);
  });
  if (!queued) {
    on_subscribed_all_ = nullptr;
    module_.end_busy();
    done(false);
  }
}

void MqttSession::publish(Bytes payload, std::function<void(bool ok)> done) {
  if (!connected()) return done(false);
  const int mid = client_->publish(pub_topic, payload, qos, false);
  if (mid <= 0) return done(false);
  pending_publish_ = mid;
  on_published_ = std::move(done);
  module_.begin_busy([this] {
    pending_publish_ = 0;
    on_published_ = nullptr;
  });
}

void MqttSession::on_published(int mid) {
  if (mid == pending_publish_) finish_publish(true);
}

void MqttSession::finish_publish(bool ok) {
  if (!on_published_) return;
  auto done = std::exchange(on_published_, nullptr);
  pending_publish_ = 0;
  module_.end_busy();
  done(ok);
}

void MqttSession::on_message(const std::string& topic, ByteView payload) {
  if (state_ == State::idle) return;
  std::string out = topic + " -> ";
  out += as_string(payload);
  out += "\r\n";
  module_.send(out);
}

void MqttSession::disconnect() {
  if (!connected()) return;
  Links& links = module_.links();
  links.at(id_).release = nullptr;
  state_ = State::idle;
  client_->disconnect();  // on_disconnect(0) follows once DISCONNECT is out; on_lost() then drops the client
  links.close(id_);
}

void MqttSession::on_lost() {
  if (state_ == State::idle) {
    client_.reset();  // the client MQTTDIS left to flush its DISCONNECT
    return;
  }
  if (state_ == State::connecting) return fail_connect();
  Links& links = module_.links();
  links.at(id_).release = nullptr;
  state_ = State::idle;
  client_.reset();
  links.close(id_);  // `[id,]CLOSED`
  if (on_subscribed_all_) std::exchange(on_subscribed_all_, nullptr)(false);
  finish_publish(false);
}

void MqttSession::fail_connect() {
  state_ = State::idle;
  client_.reset();
  pending_subacks_.clear();
  on_subscribed_all_ = nullptr;
  module_.send(module_.links().prefix(id_) + "CONNECT FAIL\r\n\r\nERROR\r\n");
  module_.end_busy();
}

void MqttSession::occupy_link() {
  Link& link = module_.links().at(id_);
  link = Link{};
  link.type = tls_ ? "MQTTS" : "MQTT";
  link.held = true;
  link.remote = broker_;
  link.local_port = client_->local().port;
  link.release = [this] { abandon(); };
  module_.links().note_opened();
  state_ = State::connected;
}

void MqttSession::abandon() {
  if (state_ == State::connecting) module_.cancel(TimerSlot::command);
  state_ = State::idle;
  client_.reset();
  pending_subacks_.clear();
  on_subscribed_all_ = nullptr;
  pending_publish_ = 0;
  on_published_ = nullptr;
}

void MqttSession::reset() {
  abandon();
  login = MqttLogin{};
  login.keepalive_s = config_.default_keepalive_s;
  pub_topic.clear();
  sub_topics.clear();
  qos = 0;
  azure.reset();
  aws_endpoint.clear();
}

}  // namespace simdev::wizfi360
