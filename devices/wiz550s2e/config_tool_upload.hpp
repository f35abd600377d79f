#pragma once
// What the firmware upload leaves in the module's non-volatile memory (spec §4.1, §5.3 D1/D2): the upload request
// record the application stores for the bootloader, and the firmware image the bootloader downloaded. Both live in
// the flash file next to the settings ("upload_record", "firmware").
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "devices/wiz550s2e/config_tool_responder.hpp"
#include "libsim/net/host_port.hpp"

namespace simdev::wiz550s2e::config_tool {

// The firmware's Firmware_Upload_Info: the D1 request header, the tool's address (where D2 goes), the TFTP
// server and file. Present from D1 until a download succeeds.
struct UploadRecord {
  UploadRequest request;
  net::HostPort requester;
};

struct FirmwareImage {
  std::string file;
  Bytes data;
};

// {"header":"a58b01d1aa4f00","requester":"127.0.0.1:40000","server":"192.168.11.50","port":6969,"file":"app.bin"}
nlohmann::json to_json(const UploadRecord& record);
// {"file":..,"bytes":..,"sha256":..} plus "data" (hex) when `with_data`.
nlohmann::json to_json(const FirmwareImage& image, bool with_data);

// From the flash file's data object: nullopt when the key is absent or null. Throws std::invalid_argument naming
// the field when present but malformed.
std::optional<UploadRecord> upload_record_from(const nlohmann::json& flash_data);
std::optional<FirmwareImage> firmware_from(const nlohmann::json& flash_data);

}  // namespace simdev::wiz550s2e::config_tool
