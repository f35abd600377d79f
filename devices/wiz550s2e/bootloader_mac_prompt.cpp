#include "devices/wiz550s2e/bootloader_mac_prompt.hpp"

#include <cctype>

namespace simdev::wiz550s2e {

bool BootloaderMacPrompt::guards(const Mac& stored) {
  return !(stored[0] == 0x00 && stored[1] == 0x08 && stored[2] == 0xDC);
}

std::optional<Mac> BootloaderMacPrompt::on_byte(std::uint8_t byte, std::string& echo) {
  if (!started_) {
    if (byte == 'S') {
      started_ = true;
      echo += 'R';
    }
    return std::nullopt;  // anything else is ignored while waiting for the start byte
  }
  if (!std::isxdigit(byte)) return std::nullopt;
  echo += static_cast<char>(byte);
  digits_ += static_cast<char>(byte);
  if (digits_.size() < 12) return std::nullopt;
  Mac mac{};
  for (std::size_t i = 0; i < mac.size(); ++i) {
    mac[i] = static_cast<std::uint8_t>(std::stoi(digits_.substr(2 * i, 2), nullptr, 16));
  }
  started_ = false;
  digits_.clear();
  return mac;
}

}  // namespace simdev::wiz550s2e
