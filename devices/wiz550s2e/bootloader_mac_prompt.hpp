#pragma once
// The bootloader's MAC guard (spec §4.4), reproduced when the quirk `bootloader_mac_prompt` is on: at boot, a
// stored MAC outside the WIZnet OUI 00:08:DC makes the bootloader print `Input MAC ? `, wait for `S`, answer
// `R`, then read 12 hex digits (echoing each). The caller stores the MAC with factory defaults and prints OK.
#include <optional>
#include <string>

#include "devices/wiz550s2e/addresses.hpp"

namespace simdev::wiz550s2e {

class BootloaderMacPrompt {
 public:
  static constexpr std::string_view kPrompt = "Input MAC ? ";
  static constexpr std::string_view kDone = "\r\nOK\r\n";

  // True when the bootloader would stop at the prompt for this stored MAC.
  static bool guards(const Mac& stored);

  // Feeds one byte; `echo` receives what the bootloader writes back. Returns the MAC once 12 digits are in.
  std::optional<Mac> on_byte(std::uint8_t byte, std::string& echo);

 private:
  bool started_ = false;  // `S` seen
  std::string digits_;
};

}  // namespace simdev::wiz550s2e
