// WizFi360 MQTT (§4) through the real binary and a real pty against a real mosquitto started by the test: the
// module's broker names reach its listeners through network.address_map; mosquitto_sub / mosquitto_pub are the
// other clients.
#include "tests/integration/wizfi360_mqtt_fixture.hpp"

namespace simdev::test {
namespace {

class WizFi360Mqtt : public WizFi360MqttFixture {
 protected:
  // MQTTSET + MQTTTOPIC ("wiz/pub" and "wiz/sub") + MQTTCON to the plain listener.
  SerialClient start_connected(const std::string& con = "AT+MQTTCON=0,\"broker.example\",1883\r\n",
                               const std::string& expected = "CONNECT\r\n\r\nOK\r\n") {
    auto c = start_module();
    EXPECT_EQ(ask(c, "AT+MQTTSET=\"\",\"\",\"" + unique_id("wiz") + "\",60\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
    const bool fails = expected.ends_with("\r\nERROR\r\n");
    EXPECT_EQ(ask(c, con, fails ? "\r\nERROR\r\n" : "\r\nOK\r\n"), expected);
    return c;
  }
};

TEST_F(WizFi360Mqtt, MqttpubSeenBySubscriber) {
  auto c = start_connected();
  auto sub = subscribe("wiz/pub", {"-v"});
  ASSERT_TRUE(sub.subscribed());
  EXPECT_EQ(ask(c, "AT+MQTTPUB=\"hello broker\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(sub.output(), "wiz/pub hello broker\n");
}

TEST_F(WizFi360Mqtt, MqttpubSendsUnescapedJson) {
  auto c = start_connected();
  auto sub = subscribe("wiz/pub");
  ASSERT_TRUE(sub.subscribed());
  EXPECT_EQ(ask(c, "AT+MQTTPUB=\"{\"deviceId\":\"X\",\"temperature\":21.97}\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(sub.output(), "{\"deviceId\":\"X\",\"temperature\":21.97}\n");
}

TEST_F(WizFi360Mqtt, IncomingPublicationPrintedAsTopicArrowPayload) {
  auto c = start_connected();
  ASSERT_TRUE(publish("wiz/sub", "21.5"));
  EXPECT_EQ(c.read_until("\r\n"), "wiz/sub -> 21.5\r\n");
}

TEST_F(WizFi360Mqtt, EverySubscribedTopicIsDelivered) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"user\",\"pw\",\"" + unique_id("wiz") + "\",60\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"a/1\",\"b/+\",\"c/#\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTCON=0,\"broker.example\",1883\r\n"), "CONNECT\r\n\r\nOK\r\n");
  ASSERT_TRUE(publish("a/1", "one"));
  ASSERT_TRUE(publish("b/x", "two"));
  ASSERT_TRUE(publish("c/y/z", "three"));
  EXPECT_EQ(c.read_until("three\r\n"), "a/1 -> one\r\nb/x -> two\r\nc/y/z -> three\r\n");
}

TEST_F(WizFi360Mqtt, Qos1PublishArrivesWithQos1) {
  auto c = start_connected();
  EXPECT_EQ(ask(c, "AT+MQTTQOS=1\r\n"), "\r\nOK\r\n");
  auto sub = subscribe("wiz/pub", {"-q", "1", "-F", "%q %p"});
  ASSERT_TRUE(sub.subscribed());
  EXPECT_EQ(ask(c, "AT+MQTTPUB=\"acked\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(sub.output(), "1 acked\n");
}

TEST_F(WizFi360Mqtt, PubsendCarriesBinaryBytes) {
  auto c = start_connected();
  auto sub = subscribe("wiz/pub", {"-F", "%x"});
  ASSERT_TRUE(sub.subscribed());
  EXPECT_EQ(ask(c, "AT+MQTTPUBSEND=7\r\n", "> "), "\r\nOK\r\n> ");
  c.write(std::string_view("\x00\r\nAT\xff\"", 7));
  EXPECT_EQ(c.read_until("OK\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(sub.output(), "000d0a4154ff22\n");
}

TEST_F(WizFi360Mqtt, PubsendPayloadNotEchoed) {
  auto c = start_connected();
  EXPECT_EQ(ask(c, "ATE1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTPUBSEND=3\r\n", "> "), "AT+MQTTPUBSEND=3\r\n\r\nOK\r\n> ");
  c.write("abc");
  EXPECT_EQ(c.read_until("OK\r\n"), "\r\nOK\r\n");
}

TEST_F(WizFi360Mqtt, CipstatusShowsMqttLink) {
  auto c = start_connected();
  const auto links = links_state()["links"];
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:3\r\n+CIPSTATUS:0,\"MQTT\",\"127.0.0.1\",1883," +
                                            std::to_string(links[0]["local_port"].get<int>()) + ",0\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Mqtt, MqttdisPrintsClosedThenOk) {
  auto c = start_connected();
  EXPECT_EQ(ask(c, "AT+MQTTDIS\r\n"), "CLOSED\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTPUB=\"late\"\r\n", "\r\nERROR\r\n"), "MQTT Pub ERROR\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Mqtt, MqttdisSendsDisconnectToBroker) {
  auto c = start_connected();
  EXPECT_EQ(ask(c, "AT+MQTTDIS\r\n"), "CLOSED\r\n\r\nOK\r\n");
  EXPECT_TRUE(wait_until([&] { return broker_.log().find("Received DISCONNECT from wiz-") != std::string::npos; },
                         std::chrono::seconds(5)));
}

TEST_F(WizFi360Mqtt, MultiModeUsesTheLinkId) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"\",\"\",\"" + unique_id("wiz") + "\",60\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTCON=3,0,\"broker.example\",1883\r\n"), "3,CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTDIS\r\n"), "3,CLOSED\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Mqtt, SecondSessionRefused) {
  auto c = start_connected();
  EXPECT_EQ(ask(c, "AT+MQTTCON=0,\"broker.example\",1883\r\n", "\r\nERROR\r\n"),
            "mqtt or mqtts reach max\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Mqtt, CipcloseOnMqttLinkEndsSession) {
  auto c = start_connected();
  EXPECT_EQ(ask(c, "AT+CIPCLOSE\r\n"), "CLOSED\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTDIS\r\n", "\r\nERROR\r\n"), "\r\nERROR\r\n");
}

TEST_F(WizFi360Mqtt, BrokerKilledPrintsClosed) {
  auto c = start_connected();
  broker_.kill();
  EXPECT_EQ(c.read_until("CLOSED\r\n"), "CLOSED\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTPUB=\"x\"\r\n", "\r\nERROR\r\n"), "MQTT Pub ERROR\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Mqtt, BrokerKilledMultiPrintsIdClosed) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"\",\"\",\"" + unique_id("wiz") + "\",60\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTCON=1,0,\"broker.example\",1883\r\n"), "1,CONNECT\r\n\r\nOK\r\n");
  broker_.kill();
  EXPECT_EQ(c.read_until("CLOSED\r\n"), "1,CLOSED\r\n");
}

TEST_F(WizFi360Mqtt, RefusedBrokerConnectFail) {
  auto c = start_module({{"nobody.example", "127.0.0.1:" + std::to_string(free_tcp_port())}});
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"\",\"\",\"" + unique_id("wiz") + "\",60\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTCON=0,\"nobody.example\",1883\r\n", "\r\nERROR\r\n"), "CONNECT FAIL\r\n\r\nERROR\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:2\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Mqtt, TopicChangeWhileConnectedResubscribes) {
  auto c = start_connected();
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/new\"\r\n"), "\r\nOK\r\n");
  ASSERT_TRUE(publish("wiz/sub", "old"));
  ASSERT_TRUE(publish("wiz/new", "new"));
  EXPECT_EQ(c.read_until("\r\n"), "wiz/new -> new\r\n");
}

TEST_F(WizFi360Mqtt, TopicChangeWhileConnectedMovesPublishTopic) {
  auto c = start_connected();
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/other\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
  auto sub = subscribe("wiz/other");
  ASSERT_TRUE(sub.subscribed());
  EXPECT_EQ(ask(c, "AT+MQTTPUB=\"moved\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(sub.output(), "moved\n");
}

// The broker's password-file listener accepts only the right user name and password: both are sent.
TEST_F(WizFi360Mqtt, CredentialsAreCheckedByTheBroker) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"adafruit-user\",\"aio-key\",\"" + unique_id("cred") + "\",60\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTCON=0,\"auth.example\",1883\r\n"), "CONNECT\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Mqtt, WrongPasswordIsRefusedByTheBroker) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"adafruit-user\",\"wrong\",\"" + unique_id("cred") + "\",60\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTCON=0,\"auth.example\",1883\r\n", "\r\nERROR\r\n"), "CONNECT FAIL\r\n\r\nERROR\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:2\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Mqtt, Qos2PublishArrivesWithQos2) {
  auto c = start_connected();
  EXPECT_EQ(ask(c, "AT+MQTTQOS=2\r\n"), "\r\nOK\r\n");
  auto sub = subscribe("wiz/pub", {"-q", "2", "-F", "%q %p"});
  ASSERT_TRUE(sub.subscribed());
  EXPECT_EQ(ask(c, "AT+MQTTPUB=\"exactly once\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(sub.output(), "2 exactly once\n");
}

// A broker that stops answering (SIGSTOP) misses the keepalive PINGRESP: the session is lost.
TEST_F(WizFi360Mqtt, SilentBrokerLosesTheSessionAtKeepalive) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"\",\"\",\"" + unique_id("silent") + "\",5\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTCON=0,\"broker.example\",1883\r\n"), "CONNECT\r\n\r\nOK\r\n");
  broker_.pause();
  EXPECT_EQ(c.read_until("CLOSED\r\n", std::chrono::seconds(15)), "CLOSED\r\n");
  broker_.resume();
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:4\r\n\r\nOK\r\n");
}

// One TLS session at a time (§5): an MQTTS session blocks an SSL link and the other way round.
TEST_F(WizFi360Mqtt, MqttsSessionBlocksAnSslLink) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"\",\"\",\"" + unique_id("wiz") + "\",60\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTCON=0,1,\"secure.example\",8883\r\n"), "0,CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=1,\"SSL\",\"secure.example\",8883\r\n", "\r\nERROR\r\n"),
            "ssl or mqtts reach max\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Mqtt, SslLinkBlocksAnMqttsSession) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=0,\"SSL\",\"secure.example\",8883\r\n"), "0,CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"\",\"\",\"" + unique_id("wiz") + "\",60\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTCON=1,1,\"secure.example\",8883\r\n", "\r\nERROR\r\n"),
            "ssl or mqtts reach max\r\n\r\nERROR\r\n");
  // A plain session is still allowed next to the SSL link.
  EXPECT_EQ(ask(c, "AT+MQTTCON=1,0,\"broker.example\",1883\r\n"), "1,CONNECT\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Mqtt, KeepalivePingsKeepTheSessionUp) {
  auto c = start_module();
  const std::string id = unique_id("ping");
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"\",\"\",\"" + id + "\",5\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTCON=0,\"broker.example\",1883\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_TRUE(wait_until([&] { return broker_.log().find("Received PINGREQ from " + id) != std::string::npos; },
                         std::chrono::seconds(8)));
  ASSERT_TRUE(publish("wiz/sub", "alive"));
  EXPECT_EQ(c.read_until("\r\n"), "wiz/sub -> alive\r\n");
}

// ---- MQTTS (decision 11: the first MQTTCON value selects TLS) ----

TEST_F(WizFi360Mqtt, TlsWithoutVerificationConnects) {
  write_flash({{"ssl_cconf", 0}});
  auto c = start_connected("AT+MQTTCON=1,\"secure.example\",8883\r\n");
  ASSERT_TRUE(publish("wiz/sub", "over tls"));
  EXPECT_EQ(c.read_until("\r\n"), "wiz/sub -> over tls\r\n");
}

TEST_F(WizFi360Mqtt, TlsVerifiedWithGoodCaConnects) {
  write_flash({{"ssl_cconf", 2}, {"ca_pem", TestCerts::shared().ca_pem}});
  auto c = start_connected("AT+MQTTCON=1,\"secure.example\",8883\r\n");
  const auto links = links_state()["links"];
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:3\r\n+CIPSTATUS:0,\"MQTTS\",\"127.0.0.1\",8883," +
                                            std::to_string(links[0]["local_port"].get<int>()) + ",0\r\n\r\nOK\r\n");
}

// The CA as a user provides it: uploaded with AT+CASEND, verification switched on with AT+CIPSSLCCONF.
TEST_F(WizFi360Mqtt, TlsVerifiedWithCaUploadedOverAt) {
  auto c = start_module();
  EXPECT_EQ(upload_pem(c, "CASEND", TestCerts::shared().ca_pem), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSSLCCONF=2\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"\",\"\",\"" + unique_id("wiz") + "\",60\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"wiz/pub\",\"wiz/sub\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTCON=1,\"secure.example\",8883\r\n"), "CONNECT\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Mqtt, TlsVerifiedWithWrongCaFails) {
  write_flash({{"ssl_cconf", 2}, {"ca_pem", TestCerts::shared().other_ca_pem}});
  start_connected("AT+MQTTCON=1,\"secure.example\",8883\r\n", "CONNECT FAIL\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Mqtt, TlsToPlainListenerFails) {
  start_connected("AT+MQTTCON=1,\"broker.example\",1883\r\n", "CONNECT FAIL\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Mqtt, TlsClientCertificateFromCipsslcconfBitZero) {
  const auto& certs = TestCerts::shared();
  write_flash({{"ssl_cconf", 3},
               {"ca_pem", certs.ca_pem},
               {"client_cert_pem", certs.client_cert_pem},
               {"client_key_pem", certs.client_key_pem}});
  start_connected("AT+MQTTCON=1,\"mtls.example\",8883\r\n");
}

TEST_F(WizFi360Mqtt, MutualTlsListenerRefusesWithoutBitZero) {
  const auto& certs = TestCerts::shared();
  write_flash({{"ssl_cconf", 2},
               {"ca_pem", certs.ca_pem},
               {"client_cert_pem", certs.client_cert_pem},
               {"client_key_pem", certs.client_key_pem}});
  start_connected("AT+MQTTCON=1,\"mtls.example\",8883\r\n", "CONNECT FAIL\r\n\r\nERROR\r\n");
}

}  // namespace
}  // namespace simdev::test
