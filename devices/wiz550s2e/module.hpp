#pragma once
// What AT command handlers may do to the module. The device implements it; handlers stay free functions
// that only see this interface.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "devices/wiz550s2e/device_config.hpp"
#include "devices/wiz550s2e/live_network.hpp"
#include "devices/wiz550s2e/settings.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::net {
class VirtualNetwork;
}

namespace simdev::wiz550s2e {

class AtSocket;

class Module {
 public:
  virtual ~Module() = default;

  virtual const DeviceConfig& config() const = 0;
  virtual Settings& settings() = 0;  // the RAM copy
  virtual LiveNetwork& live() = 0;
  virtual AtSocket& socket() = 0;
  virtual net::VirtualNetwork* network() = 0;

  virtual void write_serial(std::string_view text) = 0;
  // The RAM config becomes the chip's network identity (after NSET).
  virtual void apply_network_settings() = 0;
  // Re-initialise the UART from the RAM config once the pending output has left.
  virtual void apply_uart_settings() = 0;
  // Whole RAM config -> flash.
  virtual void save_settings() = 0;
  // Raw data phase of AT+NSEND / AT+MQTTPUB: the next `size` serial bytes go to `done`.
  virtual void start_data_phase(std::size_t size, std::function<void(Bytes)> done) = 0;
  virtual void enter_data_mode() = 0;
  virtual void reset_after_output() = 0;
  // The firmware stops (fatal error, endless loop): ignore everything until a hardware reset.
  virtual void hang(std::string_view reason) = 0;
  // DNS lookup through the address map / host resolver; nullopt on failure or after the DNS timeout.
  virtual void resolve_name(const std::string& name, std::function<void(std::optional<Ip4>)> done) = 0;
  // Blocking firmware operations (DNS lookup, MQTT acknowledgements): serial input waits until unblocked.
  virtual void block_input() = 0;
  virtual void unblock_input() = 0;
  // The automatic client source port; AT+NCLOSE and AT+MQTTCON=0 bump it even when they fail.
  virtual std::uint16_t auto_port() const = 0;
  virtual void bump_auto_port() = 0;
};

}  // namespace simdev::wiz550s2e
