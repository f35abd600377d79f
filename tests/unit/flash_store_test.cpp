#include <atomic>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "libsim/store/flash_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace simdev::store {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::write_file;

constexpr const char* kSchema = "simdev.test.flash";

class FlashStoreTest : public ::testing::Test {
 protected:
  FlashStoreTest()
      : log_(std::make_shared<spdlog::logger>("flash", std::make_shared<spdlog::sinks::ostream_sink_st>(warnings_))) {}

  FlashStore store(FlashOptions options = {}) {
    if (options.path.empty()) options.path = file_;
    return FlashStore(options, kSchema, 3, log_);
  }
  std::string envelope(const std::string& data, const std::string& schema = kSchema, int version = 3) const {
    return R"({"schema":")" + schema + R"(","version":)" + std::to_string(version) + R"(,"data":)" + data + "}";
  }
  std::vector<fs::path> files_in_dir() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir_.path())) out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }
  void expect_moved_aside(FlashStore& s, const std::string& original) {
    ASSERT_TRUE(s.moved_aside().has_value());
    EXPECT_FALSE(fs::exists(file_));
    EXPECT_EQ(s.moved_aside()->parent_path(), dir_.path());
    EXPECT_EQ(s.moved_aside()->filename().string().rfind("dev.flash.json.corrupt-", 0), 0u);
    EXPECT_EQ(read_file(*s.moved_aside()), original);
    EXPECT_NE(warnings_.str().find("moved to " + s.moved_aside()->string()), std::string::npos) << warnings_.str();
  }

  test::TempDir dir_;
  fs::path file_ = dir_ / "dev.flash.json";
  std::ostringstream warnings_;
  std::shared_ptr<spdlog::logger> log_;
};

TEST_F(FlashStoreTest, MissingFileMeansDefaultsAndCreatesNothing) {
  auto s = store();
  EXPECT_EQ(s.load(), std::nullopt);
  EXPECT_TRUE(files_in_dir().empty());
  EXPECT_EQ(warnings_.str(), "");
}

TEST_F(FlashStoreTest, SavedDataLoadsBack) {
  auto s = store();
  s.save({{"ssid", "lab"}, {"port", 5000}});
  EXPECT_EQ(store().load(), (nlohmann::json{{"ssid", "lab"}, {"port", 5000}}));
  EXPECT_EQ(s.writes(), 1u);
}

TEST_F(FlashStoreTest, FileCarriesSchemaVersionAndData) {
  store().save({{"a", 1}});
  const auto file = nlohmann::json::parse(read_file(file_));
  EXPECT_EQ(file, (nlohmann::json{{"schema", kSchema}, {"version", 3}, {"data", {{"a", 1}}}}));
}

TEST_F(FlashStoreTest, SaveLeavesNoTempFiles) {
  auto s = store();
  for (int i = 0; i < 20; ++i) s.save({{"i", i}});
  EXPECT_EQ(files_in_dir(), std::vector<fs::path>{"dev.flash.json"});
}

TEST_F(FlashStoreTest, SaveCreatesMissingParentDirectory) {
  FlashOptions o;
  o.path = dir_ / "data" / "nested" / "dev.flash.json";
  store(o).save({{"a", 1}});
  EXPECT_EQ(store(o).load(), (nlohmann::json{{"a", 1}}));
}

TEST_F(FlashStoreTest, ReaderNeverSeesAPartialFile) {
  auto s = store();
  const std::string big(64 * 1024, 'x');
  s.save({{"gen", 0}, {"pad", big}});
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!stop) {
      const auto j = nlohmann::json::parse(read_file(file_), nullptr, false);
      if (j.is_discarded() || j["data"]["pad"] != big) ++bad;
      ++reads;
    }
  });
  for (int gen = 1; gen <= 100; ++gen) s.save({{"gen", gen}, {"pad", big}});
  // Keep writing until the reader has had a fair number of looks at the file.
  for (int gen = 101; reads < 50; ++gen) s.save({{"gen", gen}, {"pad", big}});
  stop = true;
  reader.join();
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(files_in_dir(), std::vector<fs::path>{"dev.flash.json"});
}

TEST_F(FlashStoreTest, FailedSaveKeepsOldFileAndRemovesTemp) {
  FlashOptions o;
  o.path = dir_ / "occupied";
  fs::create_directory(o.path);  // rename onto a directory fails
  write_file(o.path / "inside", "x");
  auto s = store(o);
  EXPECT_THROW(s.save({{"a", 1}}), std::runtime_error);
  EXPECT_EQ(files_in_dir(), std::vector<fs::path>{"occupied"});
  EXPECT_EQ(s.writes(), 0u);
}

TEST_F(FlashStoreTest, InvalidJsonIsMovedAside) {
  const std::string garbage = "{not json";
  write_file(file_, garbage);
  auto s = store();
  EXPECT_EQ(s.load(), std::nullopt);
  expect_moved_aside(s, garbage);
  EXPECT_NE(warnings_.str().find("not valid JSON"), std::string::npos);
}

TEST_F(FlashStoreTest, TruncatedFileIsMovedAside) {
  const std::string full = envelope(R"({"ssid":"lab","key":"secret"})");
  const std::string truncated = full.substr(0, full.size() / 2);
  write_file(file_, truncated);
  auto s = store();
  EXPECT_EQ(s.load(), std::nullopt);
  expect_moved_aside(s, truncated);
}

TEST_F(FlashStoreTest, EmptyFileIsMovedAside) {
  write_file(file_, "");
  auto s = store();
  EXPECT_EQ(s.load(), std::nullopt);
  expect_moved_aside(s, "");
}

TEST_F(FlashStoreTest, ForeignSchemaIsMovedAside) {
  const std::string foreign = envelope("{}", "simdev.other.flash");
  write_file(file_, foreign);
  auto s = store();
  EXPECT_EQ(s.load(), std::nullopt);
  expect_moved_aside(s, foreign);
  EXPECT_NE(warnings_.str().find("schema \"simdev.other.flash\""), std::string::npos);
}

TEST_F(FlashStoreTest, OtherVersionIsMovedAside) {
  const std::string old = envelope("{}", kSchema, 2);
  write_file(file_, old);
  auto s = store();
  EXPECT_EQ(s.load(), std::nullopt);
  expect_moved_aside(s, old);
  EXPECT_NE(warnings_.str().find("version 2 is not 3"), std::string::npos);
}

TEST_F(FlashStoreTest, DataThatIsNotAnObjectIsMovedAside) {
  const std::string odd = envelope("[1,2]");
  write_file(file_, odd);
  auto s = store();
  EXPECT_EQ(s.load(), std::nullopt);
  expect_moved_aside(s, odd);
}

TEST_F(FlashStoreTest, SecondCorruptionDoesNotOverwriteFirst) {
  write_file(file_, "one");
  auto first = store();
  first.load();
  write_file(file_, "two");
  auto second = store();
  second.load();
  ASSERT_TRUE(first.moved_aside() && second.moved_aside());
  EXPECT_NE(*first.moved_aside(), *second.moved_aside());
  EXPECT_EQ(read_file(*first.moved_aside()), "one");
  EXPECT_EQ(read_file(*second.moved_aside()), "two");
}

TEST_F(FlashStoreTest, SaveAfterRecoveryWritesFreshFile) {
  write_file(file_, "junk");
  auto s = store();
  s.load();
  s.save({{"a", 1}});
  EXPECT_EQ(store().load(), (nlohmann::json{{"a", 1}}));
}

TEST_F(FlashStoreTest, ResetIgnoresContentsWithoutDestroyingThem) {
  const std::string kept = envelope(R"({"a":1})");
  write_file(file_, kept);
  FlashOptions o;
  o.reset = true;
  auto s = store(o);
  EXPECT_EQ(s.load(), std::nullopt);
  EXPECT_EQ(read_file(file_), kept);
  EXPECT_FALSE(s.moved_aside().has_value());
}

TEST_F(FlashStoreTest, ResetReplacesContentsOnFirstSave) {
  write_file(file_, envelope(R"({"a":1})"));
  FlashOptions o;
  o.reset = true;
  auto s = store(o);
  s.load();
  s.save({{"b", 2}});
  EXPECT_EQ(store().load(), (nlohmann::json{{"b", 2}}));
}

TEST_F(FlashStoreTest, ReadonlyLoadsButNeverWrites) {
  const std::string kept = envelope(R"({"a":1})");
  write_file(file_, kept);
  FlashOptions o;
  o.readonly = true;
  auto s = store(o);
  EXPECT_EQ(s.load(), (nlohmann::json{{"a", 1}}));
  s.save({{"a", 2}});
  EXPECT_EQ(read_file(file_), kept);
  EXPECT_EQ(s.writes(), 0u);
}

TEST_F(FlashStoreTest, ReadonlyLeavesCorruptFileInPlace) {
  write_file(file_, "junk");
  FlashOptions o;
  o.readonly = true;
  auto s = store(o);
  EXPECT_EQ(s.load(), std::nullopt);
  EXPECT_EQ(files_in_dir(), std::vector<fs::path>{"dev.flash.json"});
  EXPECT_NE(warnings_.str().find("read-only"), std::string::npos);
}

TEST_F(FlashStoreTest, PathlessStoreKeepsNothing) {
  FlashStore s({}, kSchema, 3, log_);
  EXPECT_EQ(s.load(), std::nullopt);
  s.save({{"a", 1}});
  EXPECT_EQ(s.writes(), 0u);
  EXPECT_TRUE(files_in_dir().empty());
}

}  // namespace
}  // namespace simdev::store
