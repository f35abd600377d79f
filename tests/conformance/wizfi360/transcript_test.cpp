// Replays every transcripts/*.txt against a WizFi360 fed in memory on a real io_context driven by this thread.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "devices/wizfi360/wizfi360_kind.hpp"
#include "libsim/serial/uart_settings.hpp"
#include "libsim/store/flash_store.hpp"
#include "libsim/util/embedded_config.hpp"
#include "tests/conformance/wizfi360/transcript.hpp"
#include "tests/support/memory_serial.hpp"
#include "tests/support/temp_dir.hpp"

namespace simdev::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr auto kExpectDeadline = std::chrono::seconds(3);

// Short delays so a transcript runs in milliseconds; a transcript's `config` step can change any of them.
const json kFastTiming = json::parse(R"({
  "boot_delay_ms": 5,
  "timing": {"scan_ms": 20, "join_ms": 20, "dhcp_ms": 5, "wrong_password_ms": 25, "join_timeout_ms": 30,
             "refused_ms": 20, "rejoin_ms": 10, "smart_try_ms": 20, "wps_timeout_ms": 200, "sleep_scale": 0.01}
})");

fs::path transcript_dir() { return fs::path(SIMDEV_SOURCE_DIR) / "tests/conformance/wizfi360/transcripts"; }

std::vector<fs::path> transcript_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(transcript_dir()))
    if (e.path().extension() == ".txt") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

class Bench {
 public:
  Bench(json config, fs::path flash_path) : config_(std::move(config)), flash_path_(std::move(flash_path)) {}
  ~Bench() { stop(); }

  void start() {
    auto log = std::make_shared<spdlog::logger>("wizfi360-test", std::make_shared<spdlog::sinks::null_sink_mt>());
    const auto& kind = wizfi360::kind();
    flash_ = std::make_unique<store::FlashStore>(store::FlashOptions{flash_path_}, kind.flash_schema,
                                                 kind.flash_version, log);
    DeviceContext ctx;
    ctx.executor = io_.get_executor();
    ctx.name = "wizfi360";
    ctx.config = config_;
    ctx.timing = TimingMode::fast;
    ctx.serial = &serial_;
    ctx.flash = flash_.get();
    ctx.log = log;
    device_ = kind.create(std::move(ctx));
    device_->power_on();
  }

  void stop() {
    if (!device_) return;
    device_->shutdown();
    io_.poll();
    device_.reset();
    pending_.clear();
    serial_.take();
    serial_.apply_settings(serial::UartSettings{});  // a new process opens the port at the default rate
  }

  Device& device() { return *device_; }
  MemorySerial& serial() { return serial_; }

  void feed(const std::string& bytes) {
    serial_.feed(*device_, bytes);
    collect();
  }

  // Drives the loop until `want` bytes are unread or the deadline passes; returns what is unread.
  const std::string& await(std::size_t want) {
    auto deadline = Clock::now() + kExpectDeadline;
    collect();
    while (pending_.size() < want && Clock::now() < deadline) {
      if (io_.stopped()) io_.restart();
      if (io_.run_one_for(deadline - Clock::now()) == 0 && io_.stopped()) break;  // no work can produce more
      collect();
    }
    return pending_;
  }

  void consume(std::size_t n) { pending_.erase(0, n); }

  void run_for(std::chrono::milliseconds d) {
    if (io_.stopped()) io_.restart();
    io_.run_for(d);
    collect();
  }

  const std::string& poll() {
    if (io_.stopped()) io_.restart();
    io_.poll();
    collect();
    return pending_;
  }

 private:
  void collect() { pending_ += serial_.take(); }

  boost::asio::io_context io_;
  MemorySerial serial_;
  json config_;
  fs::path flash_path_;
  std::unique_ptr<store::FlashStore> flash_;
  std::unique_ptr<Device> device_;
  std::string pending_;
};

std::string printable(const std::string& s) { return escape_bytes(as_bytes(s)); }

class Transcript : public ::testing::TestWithParam<fs::path> {};

TEST_P(Transcript, Replays) {
  const fs::path file = GetParam();
  std::vector<Step> steps = load_transcript(file);
  json config = json::parse(embedded_config("wizfi360"));
  config.merge_patch(kFastTiming);
  bool auto_boot = true;
  std::size_t i = 0;
  for (; i < steps.size(); ++i) {
    if (steps[i].kind == Step::Kind::config) {
      config.merge_patch(json::parse(steps[i].text));
    } else if (steps[i].kind == Step::Kind::noboot) {
      auto_boot = false;
    } else {
      break;
    }
  }

  TempDir dir;
  Bench bench(config, dir / "flash.json");
  bench.start();
  const std::string banner = std::string(config.value("noise_byte", true) ? "\xFC" : "") + "\r\nready\r\n";
  if (auto_boot) {
    ASSERT_EQ(printable(bench.await(banner.size())), printable(banner)) << "boot banner";
    bench.consume(banner.size());
  }

  json last_reply;
  for (; i < steps.size(); ++i) {
    const Step& s = steps[i];
    SCOPED_TRACE(file.filename().string() + ":" + std::to_string(s.line));
    switch (s.kind) {
      case Step::Kind::input: bench.feed(s.text); break;
      case Step::Kind::expect: {
        const std::string& got = bench.await(s.text.size());
        ASSERT_EQ(printable(got.substr(0, std::max(s.text.size(), std::min(got.size(), s.text.size() + 64)))),
                  printable(s.text));
        bench.consume(s.text.size());
        break;
      }
      case Step::Kind::wait: bench.run_for(std::chrono::milliseconds(std::stoi(s.text))); break;
      case Step::Kind::quiet: ASSERT_EQ(printable(bench.poll()), "") << "unexpected output"; break;
      case Step::Kind::control: {
        auto reply = bench.device().control(json::parse(s.text));
        ASSERT_TRUE(reply.has_value()) << "unknown control op";
        last_reply = *reply;
        bench.poll();
        break;
      }
      case Step::Kind::reply: {
        json want = json::parse(s.text);
        for (auto& [k, v] : want.items()) EXPECT_EQ(last_reply.value(k, json()), v) << "reply field " << k << " of " << last_reply.dump();
        break;
      }
      case Step::Kind::state: {
        auto space = s.text.find(' ');
        json::json_pointer ptr(s.text.substr(0, space));
        json want = json::parse(s.text.substr(space + 1));
        json state = bench.device().state();
        ASSERT_TRUE(state.contains(ptr)) << s.text;
        EXPECT_EQ(state.at(ptr), want) << s.text;
        break;
      }
      case Step::Kind::uart: EXPECT_EQ(serial::to_string(bench.serial().settings()), s.text); break;
      case Step::Kind::restart:
        ASSERT_EQ(printable(bench.poll()), "") << "unread output before restart";
        bench.stop();
        bench.start();
        break;
      case Step::Kind::config:
      case Step::Kind::noboot: FAIL() << "config/noboot only at the start";
    }
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(printable(bench.poll()), "") << "unread output at the end of the transcript";
}

std::string test_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.stem().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(WizFi360, Transcript, ::testing::ValuesIn(transcript_files()), test_name);

}  // namespace
}  // namespace simdev::test
