// The lifecycle contract: READY on stdout + ready file + pid file + NOTIFY_SOCKET, clean exit on signals.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "tests/integration/simdev_fixture.hpp"

namespace simdev::test {
namespace {

class Lifecycle : public SimdevFixture {};

TEST_F(Lifecycle, StdoutCarriesExactlyTheReadyLine) {
  auto& p = start_wizfi360();
  ASSERT_EQ(p.terminate(), 0);
  EXPECT_EQ(p.stdout_text(), "SIMDEV READY " + p.ready().dump() + "\n");
}

TEST_F(Lifecycle, ReadyNamesPidControlKindAndFlash) {
  auto& p = start_wizfi360();
  EXPECT_EQ(p.ready()["pid"], p.pid());
  EXPECT_EQ(p.control(), control_spec());
  EXPECT_EQ(p.device()["name"], "wizfi360");
  EXPECT_EQ(p.device()["kind"], "wizfi360");
  EXPECT_EQ(p.device()["flash"], (dir_ / "wizfi360.flash.json").string());
  EXPECT_TRUE(p.device()["listeners"].is_array());
}

TEST_F(Lifecycle, ReadyFileHoldsTheSameJson) {
  auto& p = start_wizfi360({"--ready-file", (dir_ / "ready.json").string()});
  EXPECT_EQ(nlohmann::json::parse(read_file(dir_ / "ready.json")), p.ready());
}

TEST_F(Lifecycle, PidFileHoldsThePid) {
  auto& p = start_wizfi360({"--pid-file", (dir_ / "simdev.pid").string()});
  EXPECT_EQ(read_file(dir_ / "simdev.pid"), std::to_string(p.pid()) + "\n");
}

TEST_F(Lifecycle, SigtermRemovesLinkReadyPidAndControlFilesAndExitsZero) {
  auto& p = start_wizfi360({"--ready-file", (dir_ / "ready.json").string(), "--pid-file", (dir_ / "simdev.pid").string()});
  ASSERT_TRUE(std::filesystem::is_symlink(dir_ / "wizfi360"));
  EXPECT_EQ(p.terminate(), 0);
  EXPECT_FALSE(std::filesystem::is_symlink(dir_ / "wizfi360"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "ready.json"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "simdev.pid"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "ctl"));
}

TEST_F(Lifecycle, SigintExitsZero) {
  auto& p = start_wizfi360();
  p.signal(SIGINT);
  EXPECT_EQ(p.wait_exit(), 0);
  EXPECT_FALSE(std::filesystem::is_symlink(dir_ / "wizfi360"));
}

TEST_F(Lifecycle, NotifySocketReceivesReady) {
  const std::string path = (dir_ / "notify").string();
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  SimdevProcess p({"--timing", "fast", "--serial", "tcp:127.0.0.1:0"}, dir_.path(), {"NOTIFY_SOCKET=" + path});
  ASSERT_TRUE(p.wait_ready()) << p.stderr_text();
  pollfd pfd{fd, POLLIN, 0};
  ASSERT_EQ(::poll(&pfd, 1, 5000), 1);
  char buf[128] = {};
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  ::close(fd);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(std::max<ssize_t>(n, 0))),
            "READY=1\nMAINPID=" + std::to_string(p.pid()) + "\n");
}

TEST_F(Lifecycle, ConfigFileRunsSeveralDevices) {
  write_file(dir_ / "lab.json", R"({"timing":"fast","devices":[
      {"name":"wifi-a","kind":"wizfi360","serial":"pty:./ttyA","settings":{"boot_delay_ms":20}},
      {"name":"eth-b","kind":"wiz550s2e","serial":"tcp:127.0.0.1:0","flash":null,
       "network":{"listen_map":{"5000":0}}}]})");
  auto& p = start({"--config", (dir_ / "lab.json").string()});
  ASSERT_EQ(p.ready()["devices"].size(), 2u);
  EXPECT_EQ(p.device(0)["name"], "wifi-a");
  EXPECT_EQ(p.pty_link(0), (dir_ / "ttyA").string());
  EXPECT_EQ(p.device(1)["kind"], "wiz550s2e");
  EXPECT_TRUE(p.device(1)["flash"].is_null());
  EXPECT_NE(p.tcp_port(1), 0);
  const auto state = control({{"op", "state"}});
  EXPECT_EQ(state["devices"]["wifi-a"]["kind"], "wizfi360");
  EXPECT_EQ(state["devices"]["eth-b"]["kind"], "wiz550s2e");
}

TEST_F(Lifecycle, TraceFileRecordsSerialBytesBothWays) {
  start_wizfi360({"--trace", (dir_ / "trace.jsonl").string()});
  auto client = SerialClient::open_pty(process_->pty_link());
  ASSERT_EQ(attach_and_reboot(client, "wizfi360", "ready\r\n"), "\xFC\r\nready\r\n");
  client.write("AT\r\n");
  ASSERT_EQ(client.read_until("OK\r\n"), "AT\r\n\r\nOK\r\n");
  ASSERT_EQ(process_->terminate(), 0);
  std::string rx;
  std::string tx;
  bool power_on = false;
  std::istringstream lines(read_file(dir_ / "trace.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_TRUE(j.contains("t_us"));
    if (j.value("event", "") == "power_on") power_on = true;
    if (j.value("dir", "") == "rx") rx += j["text"].get<std::string>();
    if (j.value("dir", "") == "tx") tx += j["text"].get<std::string>();
  }
  EXPECT_TRUE(power_on);
  EXPECT_EQ(rx, "AT\\r\\n");
  EXPECT_EQ(tx.substr(tx.size() - std::string("AT\\r\\n\\r\\nOK\\r\\n").size()), "AT\\r\\n\\r\\nOK\\r\\n");
}

TEST_F(Lifecycle, CorruptFlashIsMovedAsideAndDefaultsUsed) {
  write_file(dir_ / "wizfi360.flash.json", "{\"schema\":\"simdev.wizfi360.fl");
  start_wizfi360();
  std::vector<std::filesystem::path> aside;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
    if (e.path().filename().string().rfind("wizfi360.flash.json.corrupt-", 0) == 0) aside.push_back(e.path());
  }
  ASSERT_EQ(aside.size(), 1u);
  EXPECT_EQ(read_file(aside[0]), "{\"schema\":\"simdev.wizfi360.fl");
  EXPECT_NE(process_->stderr_text().find("moved to " + aside[0].string()), std::string::npos) << process_->stderr_text();
  auto client = SerialClient::open_pty(process_->pty_link());
  ASSERT_EQ(attach_and_reboot(client, "wizfi360", "ready\r\n"), "\xFC\r\nready\r\n");
  client.write("AT\r\n");
  EXPECT_EQ(client.read_until("OK\r\n"), "AT\r\n\r\nOK\r\n");
}

}  // namespace
}  // namespace simdev::test
