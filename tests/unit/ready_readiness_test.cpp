#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "libsim/runtime/readiness.hpp"
#include "tests/support/simdev_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace simdev::runtime {
namespace {

using nlohmann::json;

std::vector<DeviceReadiness> two_devices() {
  return {{"wizfi360", "wizfi360", {{"type", "pty"}, {"path", "/dev/pts/3"}, {"link", "/w/wizfi360"}},
           "/w/wizfi360.flash.json", json::array()},
          {"s2e", "wiz550s2e", {{"type", "tcp"}, {"host", "127.0.0.1"}, {"port", 4000}}, "",
           json::array({{{"device_port", 5000}, {"host", "127.0.0.1"}, {"port", 5000}, {"proto", "tcp"}}})}};
}

TEST(Readiness, JsonListsPidControlAndDevices) {
  const json j = readiness_json(123, "unix:/tmp/c", two_devices());
  EXPECT_EQ(j.dump(),
            R"({"control":"unix:/tmp/c","devices":[{"flash":"/w/wizfi360.flash.json","kind":"wizfi360","listeners":[],)"
            R"("name":"wizfi360","serial":{"link":"/w/wizfi360","path":"/dev/pts/3","type":"pty"}},)"
            R"({"flash":null,"kind":"wiz550s2e","listeners":[{"device_port":5000,"host":"127.0.0.1","port":5000,)"
            R"("proto":"tcp"}],"name":"s2e","serial":{"host":"127.0.0.1","port":4000,"type":"tcp"}}],"pid":123})");
}

TEST(Readiness, NoControlIsNull) { EXPECT_TRUE(readiness_json(1, "", {})["control"].is_null()); }

TEST(Readiness, LineIsPrefixedAndEndsWithNewline) {
  const std::string line = ready_line(readiness_json(7, "", {}));
  EXPECT_EQ(line, "SIMDEV READY {\"control\":null,\"devices\":[],\"pid\":7}\n");
}

TEST(Readiness, TestParserReadsTheLineBack) {
  const json j = readiness_json(9, "tcp:127.0.0.1:1", two_devices());
  EXPECT_EQ(test::parse_ready_line(ready_line(j)), j);
  EXPECT_EQ(test::parse_ready_line("SIMDEV NOT READY {}"), std::nullopt);
  EXPECT_EQ(test::parse_ready_line("SIMDEV READY {broken"), std::nullopt);
}

TEST(Readiness, FileIsWrittenWholeWithoutTempLeftovers) {
  test::TempDir dir;
  write_file_atomically(dir / "ready.json", "{\"pid\":1}\n");
  write_file_atomically(dir / "ready.json", "{\"pid\":2}\n");
  EXPECT_EQ(test::read_file(dir / "ready.json"), "{\"pid\":2}\n");
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);
}

TEST(Readiness, FileInMissingDirectoryThrowsNamingPath) {
  try {
    write_file_atomically("/nonexistent-dir/ready.json", "x");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/ready.json"), std::string::npos);
  }
}

TEST(Readiness, NotifySendsOneDatagram) {
  test::TempDir dir;
  const std::string path = (dir / "notify").string();
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_TRUE(notify_systemd(path, "READY=1\n"));
  char buf[64] = {};
  const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  ::close(fd);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0), "READY=1\n");
}

TEST(Readiness, NotifyToMissingSocketReportsFailure) {
  EXPECT_FALSE(notify_systemd("/nonexistent-dir/notify", "READY=1\n"));
  EXPECT_FALSE(notify_systemd("", "READY=1\n"));
}

}  // namespace
}  // namespace simdev::runtime
