#include "libsim/mqtt/client.hpp"
#include "libsim/mqtt/mosquitto_instance.hpp"

#include <mosquitto.h>

#include <gtest/gtest.h>

#include "tests/support/certs_authority.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/unit/net_test_loop.hpp"

namespace simdev::test {
namespace {

// Records every callback of one client.
struct Recorder {
  explicit Recorder(mqtt::Client& client) {
    client.on_connect = [this](int rc) { connects.push_back(rc); };
    client.on_disconnect = [this](int rc) { disconnects.push_back(rc); };
    client.on_message = [this](const std::string& topic, ByteView payload, int, bool) {
      messages.emplace_back(topic, as_string(payload));
    };
    client.on_subscribe = [this](int mid, const std::vector<int>& granted) { subacks.emplace_back(mid, granted); };
    client.on_publish = [this](int mid) { published.push_back(mid); };
    client.on_transport_up = [this] { ++transport_up; };
  }
  std::vector<int> connects;
  std::vector<int> disconnects;
  std::vector<std::pair<std::string, std::string>> messages;
  std::vector<std::pair<int, std::vector<int>>> subacks;
  std::vector<int> published;
  int transport_up = 0;
};

class MqttClient : public NetTest {
 protected:
  static void SetUpTestSuite() { broker_ = new MosquittoBroker(); }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
  }

  MqttClient() : network(make_network({{"address_map", {{"io.adafruit.com", "127.0.0.1"}}}})) {}

  static mqtt::ClientOptions options(const std::string& id) {
    mqtt::ClientOptions o;
    o.client_id = id;
    o.keepalive_s = 5;
    o.connect_timeout = std::chrono::seconds(3);
    return o;
  }
  static net::TlsOptions verifying_tls() {
    net::TlsOptions tls;
    tls.verify_peer = true;
    tls.verify_host = true;
    tls.ca_pem = TestCerts::shared().ca_pem;
    return tls;
  }
  // Connects and waits for the CONNACK; returns the on_connect code.
  int connect(mqtt::Client& client, Recorder& r, std::uint16_t port, const std::string& host = "127.0.0.1") {
    client.connect({host, port});
    if (!run_until(io, [&] { return !r.connects.empty(); })) return 999;
    return r.connects.back();
  }
  void subscribe(mqtt::Client& client, Recorder& r, const std::string& topic) {
    const auto before = r.subacks.size();
    ASSERT_GT(client.subscribe(topic, 1), 0);
    ASSERT_TRUE(run_until(io, [&] { return r.subacks.size() > before; }));
  }

  static MosquittoBroker* broker_;
  std::unique_ptr<net::VirtualNetwork> network;
};
MosquittoBroker* MqttClient::broker_ = nullptr;

TEST_F(MqttClient, PlainSessionPublishesAndReceives) {
  mqtt::Client client(*network, options("plain"));
  Recorder r(client);
  ASSERT_EQ(connect(client, r, broker_->plain_port()), 0);
  EXPECT_TRUE(client.connected());
  EXPECT_EQ(r.transport_up, 1);
  subscribe(client, r, "simdev/plain");
  EXPECT_EQ(r.subacks.back().second, std::vector<int>{1});
  const int mid = client.publish("simdev/plain", as_bytes("hello"), 1);
  ASSERT_GT(mid, 0);
  ASSERT_TRUE(run_until(io, [&] { return !r.messages.empty() && !r.published.empty(); }));
  EXPECT_EQ(r.messages[0], (std::pair<std::string, std::string>{"simdev/plain", "hello"}));
  EXPECT_EQ(r.published[0], mid);
}

TEST_F(MqttClient, BinaryPayloadSurvivesUnchanged) {
  mqtt::Client client(*network, options("binary"));
  Recorder r(client);
  ASSERT_EQ(connect(client, r, broker_->plain_port()), 0);
  subscribe(client, r, "simdev/binary");
  const std::string payload("a\0b\r\n\xff", 6);
  client.publish("simdev/binary", as_bytes(payload), 0);
  ASSERT_TRUE(run_until(io, [&] { return !r.messages.empty(); }));
  EXPECT_EQ(r.messages[0].second, payload);
}

TEST_F(MqttClient, BrokerNameGoesThroughAddressMap) {
  mqtt::Client client(*network, options("mapped"));
  Recorder r(client);
  EXPECT_EQ(connect(client, r, broker_->plain_port(), "io.adafruit.com"), 0);
  EXPECT_EQ(client.remote(), (net::HostPort{"127.0.0.1", broker_->plain_port()}));
}

TEST_F(MqttClient, CredentialsReachTheBroker) {
  auto o = options("creds");
  o.username = "user";
  o.password = "key";
  mqtt::Client client(*network, o);
  Recorder r(client);
  EXPECT_EQ(connect(client, r, broker_->plain_port()), 0);
}

TEST_F(MqttClient, RefusedPortReportsTransportFailure) {
  mqtt::Client client(*network, options("refused"));
  Recorder r(client);
  EXPECT_EQ(connect(client, r, free_loopback_port()), mqtt::kTransportFailed);
  EXPECT_EQ(client.state(), mqtt::State::idle);
  EXPECT_TRUE(r.disconnects.empty());
}

TEST_F(MqttClient, RefusedTlsPortFailsFastInsteadOfSpinning) {
  auto o = options("refused-tls");
  o.tls = net::TlsOptions{};
  mqtt::Client client(*network, o);
  Recorder r(client);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(connect(client, r, free_loopback_port()), mqtt::kTransportFailed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(MqttClient, TlsSessionVerifiesBroker) {
  auto o = options("tls");
  o.tls = verifying_tls();
  o.tls->verify_name = "localhost";
  mqtt::Client client(*network, o);
  Recorder r(client);
  ASSERT_EQ(connect(client, r, broker_->tls_port()), 0);
  subscribe(client, r, "simdev/tls");
  client.publish("simdev/tls", as_bytes("over tls"), 1);
  ASSERT_TRUE(run_until(io, [&] { return !r.messages.empty(); }));
  EXPECT_EQ(r.messages[0].second, "over tls");
}

TEST_F(MqttClient, TlsWithWrongCaFails) {
  auto o = options("wrong-ca");
  o.tls = verifying_tls();
  o.tls->ca_pem = TestCerts::shared().other_ca_pem;
  mqtt::Client client(*network, o);
  Recorder r(client);
  EXPECT_EQ(connect(client, r, broker_->tls_port()), mqtt::kTransportFailed);
}

TEST_F(MqttClient, MutualTlsSessionWithClientCertificate) {
  auto o = options("mtls");
  o.tls = verifying_tls();
  o.tls->cert_pem = TestCerts::shared().client_cert_pem;
  o.tls->key_pem = TestCerts::shared().client_key_pem;
  mqtt::Client client(*network, o);
  Recorder r(client);
  ASSERT_EQ(connect(client, r, broker_->mtls_port(), "localhost"), 0);
  subscribe(client, r, "simdev/mtls");
  client.publish("simdev/mtls", as_bytes("mutual"), 0);
  ASSERT_TRUE(run_until(io, [&] { return !r.messages.empty(); }));
  EXPECT_EQ(r.messages[0].second, "mutual");
}

TEST_F(MqttClient, MutualTlsWithoutClientCertificateFails) {
  auto o = options("mtls-nocert");
  o.tls = verifying_tls();
  mqtt::Client client(*network, o);
  Recorder r(client);
  EXPECT_EQ(connect(client, r, broker_->mtls_port(), "localhost"), mqtt::kTransportFailed);
}

TEST_F(MqttClient, UnusableTlsOptionsAreReported) {
  auto o = options("bad-pem");
  o.tls = net::TlsOptions{};
  o.tls->cert_pem = "garbage";
  o.tls->key_pem = "garbage";
  mqtt::Client client(*network, o);
  Recorder r(client);
  EXPECT_EQ(connect(client, r, broker_->tls_port()), mqtt::kInvalidOptions);
}

TEST_F(MqttClient, DisconnectReportsCleanEnd) {
  mqtt::Client client(*network, options("bye"));
  Recorder r(client);
  ASSERT_EQ(connect(client, r, broker_->plain_port()), 0);
  client.disconnect();
  ASSERT_TRUE(run_until(io, [&] { return !r.disconnects.empty(); }));
  EXPECT_EQ(r.disconnects, std::vector<int>{0});
  EXPECT_EQ(client.state(), mqtt::State::idle);
}

TEST_F(MqttClient, AbortPublishesTheWill) {
  mqtt::Client watcher(*network, options("watcher"));
  Recorder w(watcher);
  ASSERT_EQ(connect(watcher, w, broker_->plain_port()), 0);
  subscribe(watcher, w, "simdev/will");

  auto o = options("doomed");
  o.will = mqtt::Will{"simdev/will", Bytes{'g', 'o', 'n', 'e'}, 0, false};
  mqtt::Client doomed(*network, o);
  Recorder d(doomed);
  ASSERT_EQ(connect(doomed, d, broker_->plain_port()), 0);
  doomed.abort();
  ASSERT_TRUE(run_until(io, [&] { return !w.messages.empty(); }));
  EXPECT_EQ(w.messages[0], (std::pair<std::string, std::string>{"simdev/will", "gone"}));
  EXPECT_TRUE(d.disconnects.empty());
}

TEST_F(MqttClient, DestroyingClientInsideCallbackIsSafe) {
  auto client = std::make_unique<mqtt::Client>(*network, options("self-destruct"));
  bool connected = false;
  client->on_connect = [&](int) {
    connected = true;
    client.reset();
  };
  client->connect({"127.0.0.1", broker_->plain_port()});
  ASSERT_TRUE(run_until(io, [&] { return connected; }));
  io.poll();
  EXPECT_EQ(client, nullptr);
}

TEST_F(MqttClient, PublishWhileNotConnectedIsRefused) {
  mqtt::Client client(*network, options("idle"));
  EXPECT_EQ(client.publish("t", as_bytes("x")), -MOSQ_ERR_NO_CONN);
}

TEST(MqttKeepalive, BelowFiveSecondsIsRaisedToLibraryMinimum) {
  EXPECT_EQ(mqtt::effective_keepalive(0), 0);
  EXPECT_EQ(mqtt::effective_keepalive(1), 5);
  EXPECT_EQ(mqtt::effective_keepalive(60), 60);
}

// Each test owns its broker, because it kills it.
class MqttBrokerLoss : public NetTest {
 protected:
  MosquittoBroker broker;
  std::unique_ptr<net::VirtualNetwork> network = make_network();
  mqtt::ClientOptions options() {
    mqtt::ClientOptions o;
    o.client_id = "survivor";
    o.keepalive_s = 5;
    o.connect_timeout = std::chrono::seconds(3);
    return o;
  }
  bool connected(mqtt::Client& client, Recorder& r, std::uint16_t port) {
    r.connects.clear();
    client.connect({"127.0.0.1", port});
    return run_until(io, [&] { return !r.connects.empty(); }) && r.connects.back() == 0;
  }
};

TEST_F(MqttBrokerLoss, KilledBrokerReportsDisconnect) {
  mqtt::Client client(*network, options());
  Recorder r(client);
  ASSERT_TRUE(connected(client, r, broker.plain_port()));
  broker.kill();
  ASSERT_TRUE(run_until(io, [&] { return !r.disconnects.empty(); }));
  EXPECT_EQ(r.disconnects.size(), 1u);
  EXPECT_NE(r.disconnects[0], 0);
  EXPECT_EQ(client.state(), mqtt::State::idle);
}

TEST_F(MqttBrokerLoss, KilledTlsBrokerReportsDisconnect) {
  auto o = options();
  o.tls = net::TlsOptions{};
  mqtt::Client client(*network, o);
  Recorder r(client);
  ASSERT_TRUE(connected(client, r, broker.tls_port()));
  broker.kill();
  ASSERT_TRUE(run_until(io, [&] { return !r.disconnects.empty(); }));
  EXPECT_NE(r.disconnects[0], 0);
}

TEST_F(MqttBrokerLoss, ReconnectAfterRestartResumesTraffic) {
  mqtt::Client client(*network, options());
  Recorder r(client);
  ASSERT_TRUE(connected(client, r, broker.plain_port()));
  broker.kill();
  ASSERT_TRUE(run_until(io, [&] { return !r.disconnects.empty(); }));
  broker.restart();
  r.connects.clear();
  client.reconnect();
  ASSERT_TRUE(run_until(io, [&] { return !r.connects.empty(); }));
  ASSERT_EQ(r.connects.back(), 0);
  ASSERT_GT(client.subscribe("simdev/after", 0), 0);
  ASSERT_TRUE(run_until(io, [&] { return !r.subacks.empty(); }));
  client.publish("simdev/after", as_bytes("back"));
  ASSERT_TRUE(run_until(io, [&] { return !r.messages.empty(); }));
  EXPECT_EQ(r.messages[0].second, "back");
}

}  // namespace
}  // namespace simdev::test
