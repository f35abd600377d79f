// The control plane of the real binary: unix socket state/reset/shutdown, bad requests, `simdev ctl`.
#include <sys/stat.h>

#include "tests/integration/simdev_fixture.hpp"

namespace simdev::test {
namespace {

class ControlPlane : public SimdevFixture {};

TEST_F(ControlPlane, SocketFileIsPrivate) {
  start_wizfi360();
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "ctl").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ControlPlane, StateReportsKindModeAndSerial) {
  start_wizfi360();
  const auto state = control({{"op", "state"}});
  EXPECT_EQ(state["ok"], true);
  EXPECT_EQ(state["pid"], process_->pid());
  const auto& dev = state["devices"]["wizfi360"];
  EXPECT_EQ(dev["kind"], "wizfi360");
  EXPECT_TRUE(dev.contains("mode"));
  EXPECT_EQ(dev["serial"]["attached"], false);
  EXPECT_TRUE(dev["serial"].contains("bytes_in"));
  EXPECT_TRUE(dev["serial"].contains("bytes_out"));
  EXPECT_TRUE(dev["serial"].contains("bytes_dropped"));
  EXPECT_TRUE(dev["serial"].contains("client_baud"));
  EXPECT_EQ(dev["serial"]["transport"], process_->device()["serial"]);
}

TEST_F(ControlPlane, ResetRebootsTheDevice) {
  start_wizfi360();
  auto client = SerialClient::open_pty(process_->pty_link());
  ASSERT_TRUE(wait_attached("wizfi360", true));
  EXPECT_EQ(control({{"op", "reset"}, {"device", "wizfi360"}}), (nlohmann::json{{"ok", true}, {"device", "wizfi360"}}));
  EXPECT_EQ(client.read_until("ready\r\n"), "\xFC\r\nready\r\n");
}

TEST_F(ControlPlane, ResetOfUnknownDeviceIsRefused) {
  start_wizfi360();
  EXPECT_EQ(control({{"op", "reset"}, {"device", "nope"}}),
            (nlohmann::json{{"ok", false}, {"error", "unknown device \"nope\""}}));
}

TEST_F(ControlPlane, ShutdownAnswersAndExitsCleanly) {
  start_wizfi360();
  EXPECT_EQ(control({{"op", "shutdown"}}), (nlohmann::json{{"ok", true}}));
  EXPECT_EQ(process_->wait_exit(), 0);
  EXPECT_FALSE(std::filesystem::is_symlink(dir_ / "wizfi360"));
}

TEST_F(ControlPlane, BadRequestsKeepTheConnectionUsable) {
  start_wizfi360();
  auto c = SerialClient::connect_unix((dir_ / "ctl").string());
  c.write("this is not json\n");
  EXPECT_EQ(c.read_until("\n"), "{\"error\":\"malformed JSON request\",\"ok\":false}\n");
  c.write("{\"op\":\"frobnicate\"}\n");
  EXPECT_EQ(c.read_until("\n"), "{\"error\":\"unknown op \\\"frobnicate\\\"\",\"ok\":false}\n");
  c.write("{\"op\":\"ping\",\"id\":3}\n");
  EXPECT_EQ(c.read_until("\n"), "{\"id\":3,\"ok\":true}\n");
}

TEST_F(ControlPlane, CtlPrintsStateAndExitsZero) {
  start_wizfi360();
  const auto r = run_simdev({"ctl", "--control", control_spec(), "state"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto reply = nlohmann::json::parse(r.out);
  EXPECT_EQ(reply["devices"]["wizfi360"]["kind"], "wizfi360");
}

TEST_F(ControlPlane, CtlAcceptsJsonRequests) {
  start_wizfi360();
  const auto r = run_simdev({"ctl", "--control", control_spec(), R"({"op":"ping","id":"h"})"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "{\"id\":\"h\",\"ok\":true}\n");
}

TEST_F(ControlPlane, CtlExitsOneOnErrorReply) {
  start_wizfi360();
  const auto r = run_simdev({"ctl", "--control", control_spec(), "reset", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "{\"error\":\"unknown device \\\"nope\\\"\",\"ok\":false}\n");
}

TEST_F(ControlPlane, CtlExitsOneWhenNothingListens) {
  const auto r = run_simdev({"ctl", "--control", control_spec(), "state"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
}

TEST_F(ControlPlane, CtlWithoutRequestIsUsageError) {
  const auto r = run_simdev({"ctl", "--control", control_spec()});
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(ControlPlane, TcpControlEndpointReportsItsPort) {
  SimdevProcess p({"--timing", "fast", "--control", "tcp:127.0.0.1:0"}, dir_.path());
  ASSERT_TRUE(p.wait_ready()) << p.stderr_text();
  const auto endpoint = control::ControlEndpoint::parse(p.control());
  EXPECT_NE(endpoint.port, 0);
  EXPECT_EQ(control::send_request(endpoint, R"({"op":"ping"})"), R"({"ok":true})");
}

}  // namespace
}  // namespace simdev::test
