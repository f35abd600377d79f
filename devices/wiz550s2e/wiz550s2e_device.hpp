#pragma once
// The WIZ550S2E personality: boot, AT command mode, trigger code and data mode around one RAM config.
#include <memory>
#include <optional>

#include <boost/asio/steady_timer.hpp>

#include "devices/wiz550s2e/at_socket.hpp"
#include "devices/wiz550s2e/bootloader_mac_prompt.hpp"
#include "devices/wiz550s2e/config_tool_service.hpp"
#include "devices/wiz550s2e/data_mode.hpp"
#include "devices/wiz550s2e/device_config.hpp"
#include "devices/wiz550s2e/line_discipline.hpp"
#include "devices/wiz550s2e/module.hpp"
#include "devices/wiz550s2e/trigger_detector.hpp"
#include "libsim/runtime/device.hpp"

namespace simdev::wiz550s2e {

class Wiz550s2eDevice final : public Device, private Module {
 public:
  explicit Wiz550s2eDevice(DeviceContext context);
  ~Wiz550s2eDevice() override;

  // Device
  void power_on() override;
  void hardware_reset() override;
  void on_serial_rx(const serial::RxChunk& chunk) override;
  void shutdown() override;
  nlohmann::json state() const override;
  std::optional<nlohmann::json> control(const nlohmann::json& request) override;
  nlohmann::json listeners() const override;

 private:
  enum class Mode { off, booting, data, at, hung, bootloader, updating };

  // Module
  const DeviceConfig& config() const override { return config_; }
  Settings& settings() override { return settings_; }
  LiveNetwork& live() override { return live_; }
  AtSocket& socket() override { return at_socket_; }
  net::VirtualNetwork* network() override { return ctx_.net; }
  void write_serial(std::string_view text) override;
  void apply_network_settings() override;
  void apply_uart_settings() override;
  void save_settings() override;
  void start_data_phase(std::size_t size, std::function<void(Bytes)> done) override;
  void enter_data_mode() override;
  void reset_after_output() override;
  void hang(std::string_view reason) override;
  void resolve_name(const std::string& name, std::function<void(std::optional<Ip4>)> done) override;
  void block_input() override { input_blocked_ = true; }
  void unblock_input() override;
  std::uint16_t auto_port() const override { return auto_port_; }
  void bump_auto_port() override;

  void boot();
  void continue_boot();
  void leave_bootloader();
  void restore_config_tool();
  void bootloader_byte(std::uint8_t byte);
  void load_settings();
  void start_dhcp();
  void finish_boot();
  void start_data_engine();
  void enter_at_mode();
  void at_bytes(ByteView bytes);
  void at_byte(std::uint8_t byte);
  void on_tx_drained();
  void stop_everything();
  // Configuration-tool hooks (config_tool_service.hpp).
  config_tool::Service::Hooks config_tool_hooks();
  std::optional<Settings> config_tool_view() const;
  void reboot_soon();

  DeviceContext ctx_;
  DeviceConfig config_;
  Settings settings_;
  LiveNetwork live_;
  Mode mode_ = Mode::off;
  LineDiscipline line_;
  BootloaderMacPrompt mac_prompt_;
  std::uint16_t auto_port_;

  struct DataPhase {
    std::size_t remaining = 0;
    Bytes payload;
    std::function<void(Bytes)> done;
  };
  std::optional<DataPhase> data_phase_;
  bool input_blocked_ = false;
  Bytes blocked_input_;
  bool reset_pending_ = false;

  AtSocket at_socket_;
  DataMode data_mode_;
  TriggerDetector trigger_;
  boost::asio::steady_timer boot_timer_;
  boost::asio::steady_timer dns_timer_;
  config_tool::Service config_tool_;
  std::unique_ptr<net::PendingConnect> dns_lookup_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simdev::wiz550s2e
