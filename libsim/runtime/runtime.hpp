#pragma once
// The simdev process: one io_context, every configured device with its ports (transport + UART link,
// virtual network, flash, tracer), the control plane, signals and the readiness contract.
#include <memory>
#include <vector>

#include "libsim/config/runtime_config.hpp"
#include "libsim/runtime/device.hpp"

namespace simdev::runtime {

class Runtime {
 public:
  // `kinds` is the list of device kinds the program was built with (apps names them; libsim does not).
  Runtime(config::RuntimeConfig config, std::vector<const DeviceKind*> kinds);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Opens everything, announces readiness, runs until SIGINT/SIGTERM or a control "shutdown".
  // Returns the process exit code (see exit_codes.hpp); never throws.
  int run();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace simdev::runtime
