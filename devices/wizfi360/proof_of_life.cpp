// Proof-of-life WizFi360 (issue 2 item 12): boot banner, echo, AT -> OK, anything else -> ERROR.
// Replaced by the full personality.
#include <boost/asio/steady_timer.hpp>

#include "devices/wizfi360/wizfi360_kind.hpp"

namespace simdev::wizfi360 {
namespace {

class ProofOfLife final : public Device {
 public:
  explicit ProofOfLife(DeviceContext ctx) : ctx_(std::move(ctx)), boot_timer_(ctx_.executor) {}

  void power_on() override { boot(); }
  void hardware_reset() override {
    ctx_.serial->discard_tx();
    boot();
  }
  void shutdown() override { boot_timer_.cancel(); }

  void on_serial_rx(const serial::RxChunk& chunk) override {
    if (booting_) return;  // a module that is rebooting hears nothing
    for (std::uint8_t c : chunk.bytes) {
      if (echo_) ctx_.serial->write(ByteView(&c, 1));
      if (c != '\n') {
        line_.push_back(static_cast<char>(c));
        continue;
      }
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      std::string line = std::move(line_);
      line_.clear();
      if (line.empty()) continue;
      if (line == "AT") {
        reply("\r\nOK\r\n");
      } else if (line == "ATE0" || line == "ATE1") {
        echo_ = line == "ATE1";
        reply("\r\nOK\r\n");
      } else {
        reply("\r\nERROR\r\n");
      }
    }
  }

  nlohmann::json state() const override {
    return {{"mode", booting_ ? "booting" : "at"}, {"echo", echo_}};
  }

 private:
  void reply(std::string_view s) { ctx_.serial->write(as_bytes(s)); }

  void boot() {
    booting_ = true;
    echo_ = true;
    line_.clear();
    boot_timer_.expires_after(std::chrono::milliseconds(ctx_.config.value("boot_delay_ms", 300)));
    boot_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      booting_ = false;
      if (ctx_.config.value("noise_byte", true)) reply("\xFC");
      reply("\r\nready\r\n");
    });
  }

  DeviceContext ctx_;
  boost::asio::steady_timer boot_timer_;
  bool booting_ = true;
  bool echo_ = true;
  std::string line_;
};

std::unique_ptr<Device> create(DeviceContext ctx) { return std::make_unique<ProofOfLife>(std::move(ctx)); }

}  // namespace

const DeviceKind& kind() {
  static const DeviceKind k{"wizfi360", "wizfi360", "simdev.wizfi360.flash", 1, &create};
  return k;
}

}  // namespace simdev::wizfi360
