#pragma once
// An in-memory SerialPort for driving a device without a transport: everything the device writes is
// collected in `output`, and tests feed host bytes with `feed`. Used by the conformance suites.
#include <functional>
#include <string>
#include <string_view>

#include "libsim/runtime/device.hpp"
#include "libsim/serial/serial_port.hpp"

namespace simdev::test {

class MemorySerial final : public serial::SerialPort {
 public:
  void write(ByteView bytes) override {
    output.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    written_total += bytes.size();
  }
  std::size_t tx_backlog() const override { return 0; }
  void set_tx_drained_handler(std::function<void()> handler) override { drained_ = std::move(handler); }
  serial::UartSettings settings() const override { return settings_; }
  void apply_settings(const serial::UartSettings& s) override {
    settings_ = s;
    ++settings_changes;
  }
  void set_rx_paused(bool paused) override { rx_paused = paused; }
  void discard_rx() override { ++rx_discards; }
  void discard_tx() override { ++tx_discards; }

  // Hands `bytes` to the device as one chunk arriving now (fast timing).
  void feed(Device& device, std::string_view bytes) {
    serial::RxChunk chunk{as_bytes(bytes), serial::Clock::now(), {}};
    device.on_serial_rx(chunk);
  }
  // Returns and clears what the device has written so far.
  std::string take() {
    std::string out;
    out.swap(output);
    return out;
  }

  std::string output;
  std::size_t written_total = 0;
  bool rx_paused = false;
  int settings_changes = 0;
  int rx_discards = 0;
  int tx_discards = 0;

 private:
  serial::UartSettings settings_;
  std::function<void()> drained_;
};

}  // namespace simdev::test
