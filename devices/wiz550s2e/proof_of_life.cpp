// Proof-of-life WIZ550S2E (issue 2 item 12): starts silently in data mode. Replaced by the full personality.
#include "devices/wiz550s2e/wiz550s2e_kind.hpp"

namespace simdev::wiz550s2e {
namespace {

class ProofOfLife final : public Device {
 public:
  explicit ProofOfLife(DeviceContext ctx) : ctx_(std::move(ctx)) {}
  void power_on() override {}
  void hardware_reset() override {}
  void shutdown() override {}
  void on_serial_rx(const serial::RxChunk&) override {}
  nlohmann::json state() const override { return {{"mode", "data"}}; }

 private:
  DeviceContext ctx_;
};

std::unique_ptr<Device> create(DeviceContext ctx) { return std::make_unique<ProofOfLife>(std::move(ctx)); }

}  // namespace

const DeviceKind& kind() {
  static const DeviceKind k{"wiz550s2e", "wiz550s2e", "simdev.wiz550s2e.flash", 1, &create};
  return k;
}

}  // namespace simdev::wiz550s2e
