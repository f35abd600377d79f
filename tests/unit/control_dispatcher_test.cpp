#include <gtest/gtest.h>

#include "libsim/control/control_dispatcher.hpp"
#include "libsim/control/control_endpoint.hpp"

namespace simdev::control {
namespace {

using nlohmann::json;

class FakeTarget final : public ControlTarget {
 public:
  std::vector<std::string> device_names() const override { return names; }
  json state() const override {
    json devices = json::object();
    for (const auto& n : names) devices[n] = {{"mode", "at"}};
    return {{"pid", 42}, {"devices", devices}};
  }
  void reset_device(const std::string& name) override { resets.push_back(name); }
  std::optional<json> device_control(const std::string& name, const json& request) override {
    controls.push_back(name);
    if (request["op"] == "pin") return json{{"level", 1}};
    if (request["op"] == "fail") return json{{"ok", false}, {"error", "pin busy"}};
    return std::nullopt;
  }
  void request_shutdown() override { ++shutdowns; }

  std::vector<std::string> names{"a", "b"};
  std::vector<std::string> resets;
  std::vector<std::string> controls;
  int shutdowns = 0;
};

class ControlDispatcherTest : public ::testing::Test {
 protected:
  std::string reply(std::string_view line) { return dispatcher_.handle_line(line).line(); }
  FakeTarget target_;
  ControlDispatcher dispatcher_{target_};
};

TEST_F(ControlDispatcherTest, StateReportsEveryDevice) {
  EXPECT_EQ(reply(R"({"op":"state"})"), R"({"devices":{"a":{"mode":"at"},"b":{"mode":"at"}},"ok":true,"pid":42})");
}

TEST_F(ControlDispatcherTest, StateForOneDevice) {
  EXPECT_EQ(reply(R"({"op":"state","device":"b"})"), R"({"devices":{"b":{"mode":"at"}},"ok":true,"pid":42})");
}

TEST_F(ControlDispatcherTest, ResetNamesTheDevice) {
  EXPECT_EQ(reply(R"({"op":"reset","device":"b"})"), R"({"device":"b","ok":true})");
  EXPECT_EQ(target_.resets, std::vector<std::string>{"b"});
}

TEST_F(ControlDispatcherTest, ResetWithoutDeviceNeedsASingleDevice) {
  EXPECT_EQ(reply(R"({"op":"reset"})"), R"j({"error":"missing \"device\" (this process runs 2 devices)","ok":false})j");
  target_.names = {"only"};
  EXPECT_EQ(reply(R"({"op":"reset"})"), R"({"device":"only","ok":true})");
}

TEST_F(ControlDispatcherTest, ResetOfUnknownDeviceFails) {
  EXPECT_EQ(reply(R"({"op":"reset","device":"zz"})"), R"({"error":"unknown device \"zz\"","ok":false})");
  EXPECT_TRUE(target_.resets.empty());
}

TEST_F(ControlDispatcherTest, ShutdownAnswersThenAsksForShutdown) {
  const auto r = dispatcher_.handle_line(R"({"op":"shutdown"})");
  EXPECT_EQ(r.line(), R"({"ok":true})");
  EXPECT_TRUE(r.shutdown_after_reply);
  EXPECT_EQ(target_.shutdowns, 0);  // the server calls it once the reply is out
}

TEST_F(ControlDispatcherTest, PingAnswersOk) { EXPECT_EQ(reply(R"({"op":"ping"})"), R"({"ok":true})"); }

TEST_F(ControlDispatcherTest, IdIsEchoed) {
  EXPECT_EQ(reply(R"({"op":"ping","id":7})"), R"({"id":7,"ok":true})");
  EXPECT_EQ(reply(R"({"op":"nope","id":"x"})"), R"({"error":"unknown op \"nope\"","id":"x","ok":false})");
}

TEST_F(ControlDispatcherTest, MalformedJsonIsAnError) {
  EXPECT_EQ(reply("{\"op\":"), R"({"error":"malformed JSON request","ok":false})");
}

TEST_F(ControlDispatcherTest, NonObjectIsAnError) {
  EXPECT_EQ(reply("[1,2]"), R"({"error":"request must be a JSON object","ok":false})");
}

TEST_F(ControlDispatcherTest, MissingOpIsAnError) {
  EXPECT_EQ(reply(R"({"device":"a"})"), R"j({"error":"missing \"op\" (a string)","ok":false})j");
}

TEST_F(ControlDispatcherTest, UnknownOpWithoutDeviceIsAnError) {
  EXPECT_EQ(reply(R"({"op":"explode"})"), R"({"error":"unknown op \"explode\"","ok":false})");
  EXPECT_TRUE(target_.controls.empty());
}

TEST_F(ControlDispatcherTest, DeviceOpGoesToTheDevice) {
  EXPECT_EQ(reply(R"({"op":"pin","device":"a"})"), R"({"level":1,"ok":true})");
  EXPECT_EQ(target_.controls, std::vector<std::string>{"a"});
}

TEST_F(ControlDispatcherTest, DeviceFailureReplyIsKept) {
  EXPECT_EQ(reply(R"({"op":"fail","device":"a"})"), R"({"error":"pin busy","ok":false})");
}

TEST_F(ControlDispatcherTest, OpTheDeviceDoesNotKnowIsAnError) {
  EXPECT_EQ(reply(R"({"op":"warp","device":"a"})"), R"({"error":"unknown op \"warp\" for device \"a\"","ok":false})");
}

TEST_F(ControlDispatcherTest, TrailingNewlineIsAccepted) { EXPECT_EQ(reply("{\"op\":\"ping\"}\r\n"), R"({"ok":true})"); }

TEST(ControlEndpoint, ParsesUnixPath) {
  const auto e = ControlEndpoint::parse("unix:/run/simdev.ctl");
  EXPECT_EQ(e.type, ControlEndpoint::Type::unix_socket);
  EXPECT_EQ(e.path, "/run/simdev.ctl");
  EXPECT_EQ(e.to_string(), "unix:/run/simdev.ctl");
}

TEST(ControlEndpoint, ParsesTcpHostAndPort) {
  const auto e = ControlEndpoint::parse("tcp:127.0.0.1:7000");
  EXPECT_EQ(e.type, ControlEndpoint::Type::tcp);
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, 7000);
  EXPECT_EQ(e.to_string(), "tcp:127.0.0.1:7000");
}

TEST(ControlEndpoint, ParsesBracketedIpv6) {
  const auto e = ControlEndpoint::parse("tcp:[::1]:0");
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.to_string(), "tcp:[::1]:0");
}

TEST(ControlEndpoint, RejectsBadSpecs) {
  EXPECT_THROW(ControlEndpoint::parse("unix:"), std::invalid_argument);
  EXPECT_THROW(ControlEndpoint::parse("tcp:7000"), std::invalid_argument);
  EXPECT_THROW(ControlEndpoint::parse("tcp:127.0.0.1:70000"), std::invalid_argument);
  EXPECT_THROW(ControlEndpoint::parse("http://x"), std::invalid_argument);
}

}  // namespace
}  // namespace simdev::control
