// Firmware upload (spec §5.3 D1/D2, §4.1 record): D1 stores the upload request record in flash and resets into the
// simulated bootloader, which fetches the file from a loopback TFTP server; a successful download stores the image
// (control op firmware_image), clears the record and sends D2; a failed one keeps the previous firmware and the
// record, so the next boot tries again.
#include "tests/conformance/wiz550s2e/config_tool_fixture.hpp"
#include "tests/support/tftp_server.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

class ConfigToolUpload : public ConfigToolDevice {
 protected:
  simdev::test::TftpServer tftp;
  Module& module() {
    return add_module(kMacA, {{"address_map", {{"192.168.11.50:69", "127.0.0.1:" + std::to_string(tftp.port())}}}});
  }
  Bytes upload_request(const std::string& file) {
    return request(op::upload_init, upload_body(kMacA, "WIZnet", {192, 168, 11, 50}, 6969, file), 0x8B);
  }
  nlohmann::json firmware_image(Module& m) { return *m.device->control({{"op", "firmware_image"}}); }
  // A D1 for a file whose server stops answering after the first block: the module stays in its bootloader.
  Module& start_stalled_download() {
    tftp.add_file("big.bin", Bytes(2000, 0x55));
    tftp.stall_after_blocks(1);
    Module& m = module();
    start_receiving();
    send(tool_port(m), upload_request("big.bin"));
    return m;
  }
  bool download_finished(Module& m) {
    return run_until([&] { return !m.device->state()["config_tool"]["last_update"].is_null() && m.mode() == "data"; });
  }
  std::string client_address() { return "127.0.0.1:" + std::to_string(client.local_endpoint().port()); }
  const Bytes mac_body{kMacA.begin(), kMacA.end()};
};

Bytes pattern(std::size_t size, std::uint8_t step) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(i * step);
  return out;
}

TEST_F(ConfigToolUpload, DownloadsByTftpThenReportsDoneAndStartsTheApplication) {
  Bytes image(1300);
  for (std::size_t i = 0; i < image.size(); ++i) image[i] = static_cast<std::uint8_t>(i * 7);
  tftp.add_file("app.bin", image);
  Module& a = module();
  start_receiving();
  send(tool_port(a), upload_request("app.bin"));
  const auto got = collect(2);
  ASSERT_EQ(got.size(), 2u);
  Bytes mac_body(kMacA.begin(), kMacA.end());
  EXPECT_EQ(got[0], encode({0x8B, 1, op::upload_init, kReply, 0}, mac_body));
  EXPECT_EQ(got[1], encode({0x8B, 1, op::upload_done, kReply, 0}, mac_body));
  EXPECT_EQ(tftp.requests(), std::vector<std::string>{"app.bin"});
  EXPECT_TRUE(run_until([&] { return a.mode() == "data"; }));
  const auto state = a.device->state()["config_tool"];
  EXPECT_EQ(state["firmware"]["file"], "app.bin");
  EXPECT_EQ(state["firmware"]["bytes"], 1300);
}

TEST_F(ConfigToolUpload, MissingFileKeepsTheOldFirmwareWithoutDoneReply) {
  Module& a = module();
  start_receiving();
  send(tool_port(a), upload_request("missing.bin"));
  EXPECT_EQ(collect(1).size(), 1u);  // the D1 acknowledgement
  ASSERT_TRUE(run_until([&] { return !a.device->state()["config_tool"]["last_update"].is_null(); }));
  const auto state = a.device->state()["config_tool"];
  EXPECT_EQ(state["last_update"]["ok"], false);
  EXPECT_EQ(state["last_update"]["error"], "server error 1: File not found");
  EXPECT_TRUE(state["firmware"].is_null());
  EXPECT_TRUE(run_until([&] { return a.mode() == "data"; }));
  EXPECT_TRUE(collect(1, 100ms).empty());  // no D2
}

TEST_F(ConfigToolUpload, StalledDownloadTimesOutAndKeepsTheOldFirmware) {
  Module& a = start_stalled_download();
  EXPECT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(run_until([&] { return !a.device->state()["config_tool"]["last_update"].is_null(); }));
  const auto state = a.device->state()["config_tool"];
  EXPECT_EQ(state["last_update"]["error"], "timed out waiting for block 2");
  EXPECT_TRUE(state["firmware"].is_null());
  EXPECT_TRUE(run_until([&] { return a.mode() == "data"; }));
}

TEST_F(ConfigToolUpload, ModuleIsSilentWhileDownloading) {
  Module& a = start_stalled_download();
  EXPECT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(a.device->state()["config_tool"]["updating"].get<bool>());
  send(tool_port(a), request(op::discover_all, {}));
  EXPECT_TRUE(collect(1, 100ms).empty());
}

TEST_F(ConfigToolUpload, UploadRecordIsStoredInFlashAndTheModuleShowsTheBootloader) {
  Module& a = start_stalled_download();
  ASSERT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(run_until([&] { return a.device->state()["config_tool"]["updating"].get<bool>(); }));
  EXPECT_EQ(a.mode(), "bootloader");
  // The D1 request header (length 79 = 0x4f), the tool's address, the server and file; the port is kept but unused.
  const nlohmann::json record{{"header", "a58b01d1aa4f00"}, {"requester", client_address()},
                              {"server", "192.168.11.50"}, {"port", 6969}, {"file", "big.bin"}};
  EXPECT_EQ(flash_data(a)["upload_record"], record);
  EXPECT_EQ(a.device->state()["config_tool"]["upload_record"], record);
  EXPECT_FALSE(flash_data(a).contains("firmware"));
}

TEST_F(ConfigToolUpload, FirmwareImageBeforeAnyUploadIsTheFactoryFirmware) {
  Module& a = module();
  EXPECT_EQ(firmware_image(a), (nlohmann::json{{"ok", true}, {"factory", true}}));
}

TEST_F(ConfigToolUpload, SuccessfulUploadStoresTheImageAndClearsTheRecord) {
  const Bytes image = pattern(1300, 7);
  tftp.add_file("app.bin", image);
  Module& a = module();
  start_receiving();
  send(tool_port(a), upload_request("app.bin"));
  ASSERT_EQ(collect(2).size(), 2u);
  ASSERT_TRUE(download_finished(a));
  const auto fw = firmware_image(a);
  EXPECT_EQ(fw["ok"], true);
  EXPECT_EQ(fw["factory"], false);
  EXPECT_EQ(fw["file"], "app.bin");
  EXPECT_EQ(fw["bytes"], 1300);
  EXPECT_EQ(fw["data"], hex_bytes(image));
  const auto stored = flash_data(a);
  EXPECT_FALSE(stored.contains("upload_record"));
  EXPECT_EQ(stored["firmware"]["data"], hex_bytes(image));
  EXPECT_EQ(stored["firmware"]["file"], "app.bin");
}

TEST_F(ConfigToolUpload, FailedDownloadAfterAGoodOneKeepsThePreviouslyUploadedFirmware) {
  const Bytes first = pattern(1300, 7);
  tftp.add_file("app.bin", first);
  Module& a = module();
  start_receiving();
  send(tool_port(a), upload_request("app.bin"));
  const auto good = collect(2);
  ASSERT_EQ(good.size(), 2u);
  EXPECT_EQ(good[1], encode({0x8B, 1, op::upload_done, kReply, 0}, mac_body));
  ASSERT_TRUE(download_finished(a));

  send(tool_port(a), upload_request("missing.bin"));
  const auto bad = collect(1);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0], encode({0x8B, 1, op::upload_init, kReply, 0}, mac_body));
  ASSERT_TRUE(run_until([&] { return a.device->state()["config_tool"]["last_update"]["file"] == "missing.bin"; }));
  ASSERT_TRUE(run_until([&] { return a.mode() == "data"; }));
  EXPECT_TRUE(collect(1, 100ms).empty());  // no D2
  EXPECT_EQ(tftp.requests(), (std::vector<std::string>{"app.bin", "missing.bin"}));
  EXPECT_EQ(firmware_image(a)["data"], hex_bytes(first));
  EXPECT_EQ(firmware_image(a)["file"], "app.bin");
  const auto stored = flash_data(a);
  EXPECT_EQ(stored["firmware"]["data"], hex_bytes(first));
  EXPECT_EQ(stored["upload_record"]["file"], "missing.bin");  // cleared only by a successful download
}

TEST_F(ConfigToolUpload, RecordOfAFailedDownloadIsFetchedAgainAtTheNextBoot) {
  Module& a = module();
  start_receiving();
  send(tool_port(a), upload_request("late.bin"));
  ASSERT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(download_finished(a));
  EXPECT_TRUE(firmware_image(a)["factory"].get<bool>());
  tftp.add_file("late.bin", pattern(600, 3));
  a.device->hardware_reset();
  const auto got = collect(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], encode({0x8B, 1, op::upload_done, kReply, 0}, mac_body));  // to the tool that sent D1
  EXPECT_EQ(tftp.requests(), (std::vector<std::string>{"late.bin", "late.bin"}));
  ASSERT_TRUE(run_until([&] { return a.mode() == "data"; }));
  EXPECT_EQ(firmware_image(a)["data"], hex_bytes(pattern(600, 3)));
  EXPECT_FALSE(flash_data(a).contains("upload_record"));
}

TEST_F(ConfigToolUpload, StoredFirmwareSurvivesARestartOfTheSimulator) {
  tftp.add_file("app.bin", pattern(700, 5));
  Module& a = module();
  start_receiving();
  send(tool_port(a), upload_request("app.bin"));
  ASSERT_EQ(collect(2).size(), 2u);
  ASSERT_TRUE(download_finished(a));
  a.device->shutdown();
  Module& again = add_module(kMacA, {}, nlohmann::json::object(), a.flash_path);
  EXPECT_EQ(firmware_image(again)["data"], hex_bytes(pattern(700, 5)));
  EXPECT_EQ(again.device->state()["config_tool"]["firmware"]["file"], "app.bin");
  EXPECT_TRUE(tftp.requests().size() == 1u);  // no record left, so no new download
}

}  // namespace
}  // namespace simdev::wiz550s2e::config_tool
