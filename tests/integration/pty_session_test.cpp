// The real binary behind a real pty: boot banner, AT with echo, many client reopen cycles.
#include "tests/integration/simdev_fixture.hpp"

namespace simdev::test {
namespace {

constexpr std::string_view kBootBanner = "\xFC\r\nready\r\n";

class PtySession : public SimdevFixture {};

TEST_F(PtySession, ReadyNamesThePtyAndItsLinkInTheWorkingDirectory) {
  auto& p = start_wizfi360();
  const auto serial = p.device()["serial"];
  EXPECT_EQ(serial["type"], "pty");
  EXPECT_EQ(serial["link"], (dir_ / "wizfi360").string());
  EXPECT_EQ(std::filesystem::read_symlink(dir_ / "wizfi360").string(), serial["path"].get<std::string>());
}

TEST_F(PtySession, ResetPrintsTheBootBanner) {
  start_wizfi360();
  auto client = SerialClient::open_pty(process_->pty_link());
  EXPECT_EQ(attach_and_reboot(client, "wizfi360", "ready\r\n"), kBootBanner);
}

TEST_F(PtySession, AtIsEchoedAndAnsweredOk) {
  start_wizfi360();
  auto client = SerialClient::open_pty(process_->pty_link());
  ASSERT_EQ(attach_and_reboot(client, "wizfi360", "ready\r\n"), kBootBanner);
  client.write("AT\r\n");
  EXPECT_EQ(client.read_until("OK\r\n"), "AT\r\n\r\nOK\r\n");
}

TEST_F(PtySession, ReopeningHundredTimesNeverShowsStaleBytes) {
  start_wizfi360();
  {
    auto client = SerialClient::open_pty(process_->pty_link());
    ASSERT_EQ(attach_and_reboot(client, "wizfi360", "ready\r\n"), kBootBanner);
  }
  ASSERT_TRUE(wait_attached("wizfi360", false));
  for (int i = 0; i < 100; ++i) {
    auto client = SerialClient::open_pty(process_->pty_link());
    ASSERT_TRUE(wait_attached("wizfi360", true)) << "cycle " << i;
    client.write("AT\r\n");
    ASSERT_EQ(client.read_until("OK\r\n"), "AT\r\n\r\nOK\r\n") << "cycle " << i;
    // Leave a whole answer unread in the pty, then hang up: the next client must not get it.
    const auto out_before = serial_state("wizfi360")["bytes_out"].get<std::uint64_t>();
    client.write("AT\r\n");
    ASSERT_TRUE(wait_until([&] { return serial_state("wizfi360")["bytes_out"].get<std::uint64_t>() >= out_before + 10; },
                           std::chrono::seconds(5)))
        << "cycle " << i;
    client.close();
    ASSERT_TRUE(wait_attached("wizfi360", false)) << "cycle " << i;
  }
}

TEST_F(PtySession, NoClientMeansNoCpuSpin) {
  start_wizfi360();
  {
    auto client = SerialClient::open_pty(process_->pty_link());
    ASSERT_TRUE(wait_attached("wizfi360", true));
  }
  ASSERT_TRUE(wait_attached("wizfi360", false));  // the EIO state a busy loop would spin on
  const auto before = process_->cpu_time();
  SerialClient::open_pty(process_->pty_link()).read_for(std::chrono::milliseconds(0));  // one more short open/close
  const auto start = std::chrono::steady_clock::now();
  // A measurement window, not synchronisation: a spinning loop would burn the whole of it.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto window = std::chrono::steady_clock::now() - start;
  const auto used = process_->cpu_time() - before;
  EXPECT_LT(used.count(), std::chrono::duration_cast<std::chrono::milliseconds>(window).count() / 10)
      << "simdev used " << used.count() << " ms of CPU while idle";
}

TEST_F(PtySession, ClientBaudIsObserved) {
  start_wizfi360();
  auto client = SerialClient::open_pty(process_->pty_link());
  ASSERT_TRUE(wait_attached("wizfi360", true));
  client.set_baud(57600);
  EXPECT_TRUE(wait_until([&] { return serial_state("wizfi360")["client_baud"] == 57600; }, std::chrono::seconds(5)))
      << serial_state("wizfi360").dump();
}

TEST_F(PtySession, Wiz550s2eStartsSilentInDataMode) {
  start({"--device", "wiz550s2e", "--timing", "fast", "--set", R"(network.listen_map={"5000":0})"});
  auto client = SerialClient::open_pty(process_->pty_link());
  ASSERT_TRUE(wait_attached("wiz550s2e", true));
  ASSERT_EQ(control({{"op", "reset"}, {"device", "wiz550s2e"}})["ok"], true);
  EXPECT_EQ(client.read_for(std::chrono::milliseconds(300)), "");
  EXPECT_EQ(control({{"op", "state"}})["devices"]["wiz550s2e"]["mode"], "data");
}

}  // namespace
}  // namespace simdev::test
