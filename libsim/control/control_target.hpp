#pragma once
// What the control plane acts on. The runtime implements it; unit tests use a fake.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace simdev::control {

class ControlTarget {
 public:
  virtual ~ControlTarget() = default;

  virtual std::vector<std::string> device_names() const = 0;
  // {"pid":..,"devices":{"<name>":{"kind":..,"mode":..,"serial":{..},"listeners":[..],...}}}
  virtual nlohmann::json state() const = 0;
  // Hardware reset of one device (reboots as on power-up).
  virtual void reset_device(const std::string& name) = 0;
  // Device-specific request; nullopt when the device does not know the op.
  virtual std::optional<nlohmann::json> device_control(const std::string& name, const nlohmann::json& request) = 0;
  // Stop the process cleanly (called after the reply has been sent).
  virtual void request_shutdown() = 0;
};

}  // namespace simdev::control
