// Spec §6 and the AT MQTT commands against a real mosquitto started by the test on loopback.
#include <gtest/gtest.h>

#include "libsim/mqtt/client.hpp"
#include "tests/conformance/wiz550s2e/harness.hpp"
#include "tests/support/mosquitto_broker.hpp"

namespace simdev::wiz550s2e::test {
namespace {

class Wiz550s2eMqtt : public ::testing::Test {
 protected:
  void start(nlohmann::json factory) {
    nlohmann::json network = {
        {"address_map", {{"192.168.11.101:1883", "127.0.0.1:" + std::to_string(broker.plain_port())}}}};
    h = std::make_unique<Harness>(nlohmann::json{{"factory", factory}}, network);
    observer_net = std::make_unique<net::VirtualNetwork>(h->io.get_executor(), net::NetConfig{}, "observer",
                                                         h->tracer, h->log);
    mqtt::ClientOptions options;
    options.client_id = "observer";
    observer = std::make_unique<mqtt::Client>(*observer_net, options);
    observer->on_connect = [this](int rc) { observer_rc = rc; };
    observer->on_subscribe = [this](int, const std::vector<int>&) { ++observer_subacks; };
    observer->on_message = [this](const std::string& topic, ByteView payload, int, bool) {
      seen += topic + "=" + as_string(payload) + ";";
    };
    observer->connect(net::HostPort{"127.0.0.1", broker.plain_port()});
    ASSERT_TRUE(h->run_until([&] { return observer_rc == 0; }));
  }
  void observe(const std::string& topic) {
    int before = observer_subacks;
    observer->subscribe(topic, 0);
    ASSERT_TRUE(h->run_until([&] { return observer_subacks > before; }));
  }

  simdev::test::MosquittoBroker broker;
  std::unique_ptr<Harness> h;
  std::unique_ptr<net::VirtualNetwork> observer_net;
  std::unique_ptr<mqtt::Client> observer;
  int observer_rc = -100;
  int observer_subacks = 0;
  std::string seen;

  void TearDown() override {
    observer.reset();
    if (h) h->io.poll();
  }
};

TEST_F(Wiz550s2eMqtt, DataModePublishesSerialDataAndWritesPayloadsRaw) {
  start({{"working_mode", "mqtt"}, {"remote_port", 1883}, {"mqtt_publish_topic", "dev/out"},
         {"mqtt_subscribe_topic", "dev/in"}, {"module_name", "sim-dm"}});
  h->power_on();
  observe("dev/out");
  ASSERT_TRUE(h->run_until([&] { return h->state()["status"] == 1; }));
  h->feed("hello");
  bool got = h->run_until([&] { return seen == "dev/out=hello;"; });
  EXPECT_TRUE(got) << h->state().dump() << " seen=" << seen;
  // The module subscribes right after CONNACK; give the broker a moment through a round trip of our own.
  observe("sync/1");
  observer->publish("dev/in", as_bytes("raw bytes"), 0, false);
  EXPECT_EQ(h->take_output(9), "raw bytes");
}

TEST_F(Wiz550s2eMqtt, AtCommandsConnectSubscribePublishAndDisconnect) {
  start({{"pw_connect", ""}});
  h->boot_into_at_mode();
  EXPECT_EQ(h->send("AT+MQTTSET=,,sim-at\n"), "[S]\r\n");
  h->feed("AT+MQTTCON=1,192.168.11.101,1883\n");
  EXPECT_EQ(h->take_output(14), "[W,0]\r\n[S,0]\r\n");
  h->feed("AT+MQTTSUB=1,at/in\n");
  EXPECT_EQ(h->take_output(14), "[S,,1,at/in]\r\n");
  h->feed("AT+NSOCK\n");
  EXPECT_EQ(h->take_output(39), "[D,,28]\r\n0,Q,2000,192.168.11.101,1883\r\n");
  observe("at/out");
  EXPECT_EQ(h->send("AT+MQTTPUB=0,at/out,5\n"), "[W,0]\r\n");
  h->feed("hello");
  EXPECT_EQ(h->take_output(7), "[S,0]\r\n");
  EXPECT_TRUE(h->run_until([&] { return seen == "at/out=hello;"; }));
  observer->publish("at/in", as_bytes("abc"), 0, false);
  EXPECT_EQ(h->take_output(15), "[R,0,3]\r\nabc\r\n");
  h->feed("AT+MQTTCON=0\n");
  EXPECT_EQ(h->take_output(14), "[W,0]\r\n[S,0]\r\n");
  EXPECT_EQ(h->send("AT+NSOCK\n"), "[D,,0]\r\n");
}

}  // namespace
}  // namespace simdev::wiz550s2e::test
