#include "libsim/config/uart_config.hpp"

#include <map>
#include <stdexcept>

namespace simdev::config {
namespace {

using serial::FlowControl;
using serial::Parity;
using serial::StopBits;

template <typename T>
T pick(const nlohmann::json& uart, const char* member, const std::map<std::string, T>& names, T fallback) {
  const auto it = uart.find(member);
  if (it == uart.end()) return fallback;
  const std::string text = it->is_string() ? it->get<std::string>() : it->dump();
  const auto found = names.find(text);
  if (found != names.end()) return found->second;
  std::string expected;
  for (const auto& [name, value] : names) expected += (expected.empty() ? "" : ", ") + name;
  throw std::invalid_argument(std::string("uart.") + member + ": \"" + text + "\" is not one of " + expected);
}

}  // namespace

serial::UartSettings uart_settings_from_json(const nlohmann::json& uart) {
  serial::UartSettings s;
  if (uart.is_null()) return s;
  if (!uart.is_object()) throw std::invalid_argument("uart: expected an object");
  if (const auto it = uart.find("baud"); it != uart.end()) {
    if (!it->is_number_integer() || *it <= 0 || *it > 20'000'000) {
      throw std::invalid_argument("uart.baud: " + it->dump() + " is not a baud rate");
    }
    s.baud = it->get<std::uint32_t>();
  }
  if (const auto it = uart.find("data_bits"); it != uart.end()) {
    if (!it->is_number_integer() || *it < 5 || *it > 9) {
      throw std::invalid_argument("uart.data_bits: " + it->dump() + " is not 5..9");
    }
    s.data_bits = it->get<std::uint8_t>();
  }
  s.parity = pick<Parity>(uart, "parity",
                          {{"none", Parity::none}, {"odd", Parity::odd}, {"even", Parity::even},
                           {"mark", Parity::mark}, {"space", Parity::space}},
                          s.parity);
  s.stop_bits = pick<StopBits>(uart, "stop_bits",
                               {{"1", StopBits::one}, {"1.5", StopBits::one_and_half}, {"2", StopBits::two}},
                               s.stop_bits);
  s.flow = pick<FlowControl>(uart, "flow",
                             {{"none", FlowControl::none}, {"rts_cts", FlowControl::rts_cts},
                              {"xon_xoff", FlowControl::xon_xoff}, {"rts", FlowControl::rts},
                              {"cts", FlowControl::cts}},
                             s.flow);
  return s;
}

}  // namespace simdev::config
