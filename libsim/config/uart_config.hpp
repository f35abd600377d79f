#pragma once
// The "uart" object of a device configuration:
//   {"baud":115200, "data_bits":8, "parity":"none", "stop_bits":"1", "flow":"none"}
#include <nlohmann/json.hpp>

#include "libsim/serial/uart_settings.hpp"

namespace simdev::config {

// Missing members keep their defaults. Throws std::invalid_argument naming the member ("uart.parity: ...").
serial::UartSettings uart_settings_from_json(const nlohmann::json& uart);

}  // namespace simdev::config
