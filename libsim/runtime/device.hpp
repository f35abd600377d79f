#pragma once
// The contract between the runtime and a device personality.
//
// A device is a state machine on the one io_context: it is fed serial bytes (on_serial_rx), socket events
// and timer expiries, and its outputs are serial bytes and socket operations through the ports it is handed.
// The runtime owns every port; the device only borrows them.
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "libsim/serial/serial_port.hpp"

namespace simdev::net {
class VirtualNetwork;
class SharedUdpPorts;
}
namespace simdev::store {
class FlashStore;
}
namespace simdev::trace {
class Tracer;
}

namespace simdev {

enum class TimingMode { wire, fast };

struct DeviceContext {
  boost::asio::any_io_executor executor;
  std::string name;                 // instance name, unique in the process ("wizfi360", "lab-a"...)
  nlohmann::json config;            // the device's merged configuration (embedded defaults + user config)
  TimingMode timing = TimingMode::wire;
  serial::SerialPort* serial = nullptr;
  net::VirtualNetwork* net = nullptr;
  store::FlashStore* flash = nullptr;
  trace::Tracer* tracer = nullptr;
  std::shared_ptr<spdlog::logger> log;
  // UDP ports every device of the process may share (a LAN segment for discovery protocols); null: none.
  net::SharedUdpPorts* shared_udp = nullptr;
};

class Device {
 public:
  virtual ~Device() = default;

  // Power applied: load flash, print whatever the module prints at boot, start its services.
  virtual void power_on() = 0;
  // Hardware reset pin: drop everything volatile, close sockets, reboot as on power-up.
  virtual void hardware_reset() = 0;
  // Bytes from the host, already paced by the UART model.
  virtual void on_serial_rx(const serial::RxChunk& chunk) = 0;
  // Process is stopping: close sockets, write pending flash. No serial output expected.
  virtual void shutdown() = 0;

  // Device part of the control plane's "state": {"mode":"at", "sockets":[...], ...}.
  virtual nlohmann::json state() const = 0;
  // Device-specific control requests (pins, radio world, faults...). Return nullopt for an unknown op
  // so the runtime answers {"ok":false,"error":"unknown op"}; otherwise the full reply object.
  virtual std::optional<nlohmann::json> control(const nlohmann::json& request) {
    (void)request;
    return std::nullopt;
  }
  // Host ports the device listens on, for READY and state: [{"device_port":5000,"host":"127.0.0.1","port":5000,"proto":"tcp"}].
  virtual nlohmann::json listeners() const { return nlohmann::json::array(); }
};

}  // namespace simdev

namespace simdev {

// What the runtime needs to know about a device kind before it can build one.
struct DeviceKind {
  std::string name;            // --device value: "wizfi360", "wiz550s2e"
  std::string default_config;  // embedded configs/<name>.json holding the kind's defaults
  std::string flash_schema;    // "simdev.wizfi360.flash"
  int flash_version = 1;
  // May throw std::invalid_argument for unusable settings: the runtime reports it as a config error (exit 2).
  std::unique_ptr<Device> (*create)(DeviceContext context) = nullptr;
};

}  // namespace simdev
