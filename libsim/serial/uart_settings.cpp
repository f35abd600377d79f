#include "libsim/serial/uart_settings.hpp"

namespace simdev::serial {

std::string to_string(Parity p) {
  switch (p) {
    case Parity::none: return "none";
    case Parity::odd: return "odd";
    case Parity::even: return "even";
    case Parity::mark: return "mark";
    case Parity::space: return "space";
  }
  return "?";
}

std::string to_string(StopBits s) {
  switch (s) {
    case StopBits::one: return "1";
    case StopBits::one_and_half: return "1.5";
    case StopBits::two: return "2";
  }
  return "?";
}

std::string to_string(FlowControl f) {
  switch (f) {
    case FlowControl::none: return "none";
    case FlowControl::rts_cts: return "rts_cts";
    case FlowControl::xon_xoff: return "xon_xoff";
    case FlowControl::rts: return "rts";
    case FlowControl::cts: return "cts";
  }
  return "?";
}

std::string to_string(const UartSettings& s) {
  static constexpr char kParity[] = {'N', 'O', 'E', 'M', 'S'};
  return std::to_string(s.baud) + "," + std::to_string(s.data_bits) + kParity[static_cast<int>(s.parity)] +
         to_string(s.stop_bits) + "," + to_string(s.flow);
}

}  // namespace simdev::serial
