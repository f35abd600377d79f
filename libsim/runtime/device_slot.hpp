#pragma once
// One configured device and the ports the runtime lends it. Construction does no I/O; open() takes the
// endpoints, start() powers the device on, stop() shuts it down and releases them.
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "libsim/config/runtime_config.hpp"
#include "libsim/net/virtual_network.hpp"
#include "libsim/runtime/device.hpp"
#include "libsim/runtime/readiness.hpp"
#include "libsim/serial/transport.hpp"
#include "libsim/serial/uart_link.hpp"
#include "libsim/store/flash_store.hpp"
#include "libsim/trace/tracer.hpp"

namespace simdev::runtime {

class DeviceSlot {
 public:
  // Throws config::ConfigError naming devices[index].<field> for a value only the factory can judge.
  DeviceSlot(const boost::asio::any_io_executor& ex, config::DeviceConfig config, const DeviceKind& kind,
             trace::Tracer& tracer, std::size_t index, net::SharedUdpPorts* shared_udp = nullptr);
  ~DeviceSlot();
  DeviceSlot(const DeviceSlot&) = delete;
  DeviceSlot& operator=(const DeviceSlot&) = delete;

  void open();   // may throw serial::EndpointInUse
  void start();
  void stop();

  const std::string& name() const { return config_.name; }
  Device& device() { return *device_; }
  bool uses_stdio() const { return config_.serial == "stdio"; }
  nlohmann::json state() const;
  nlohmann::json listeners() const;
  // Host endpoints the device's binds found taken by another process (see VirtualNetwork::endpoints_in_use).
  std::vector<std::string> endpoints_in_use() const;
  DeviceReadiness readiness() const;

 private:
  config::DeviceConfig config_;
  const DeviceKind& kind_;
  trace::Tracer& tracer_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<serial::Transport> transport_;
  std::unique_ptr<serial::UartLink> link_;
  std::unique_ptr<net::VirtualNetwork> net_;
  std::unique_ptr<store::FlashStore> flash_;
  std::unique_ptr<Device> device_;  // last: destroyed first, it borrows everything above
  bool started_ = false;
};

}  // namespace simdev::runtime
