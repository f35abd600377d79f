#pragma once
// The module's side of the configuration-tool protocol as pure logic (spec §5.3): one request datagram and the
// module's current settings in, the reply and what the module must do next out. Anything invalid (framing,
// length, MAC, password, unknown command) yields no reply and no action.
#include <optional>
#include <string>

#include "devices/wiz550s2e/config_tool_codec.hpp"
#include "devices/wiz550s2e/settings.hpp"

namespace simdev::wiz550s2e::config_tool {

enum class Action { none, reset, apply_settings, factory_reset, firmware_upload };

struct UploadRequest {
  Header header;  // of the D1 request: the bootloader's D2 reply reuses it
  Ip4 server{};
  std::uint16_t port = 0;  // stored but ignored by the bootloader (fixed port 69)
  std::string file;
};

struct Outcome {
  std::optional<Bytes> reply;  // the whole datagram
  Action action = Action::none;
  std::optional<Settings> settings;      // apply_settings: the new stored settings (version restored)
  std::optional<UploadRequest> upload;   // firmware_upload
};

// `current` is the RAM config with live state and network values; its fw_ver is the running version.
Outcome respond(ByteView datagram, const Settings& current);

}  // namespace simdev::wiz550s2e::config_tool
