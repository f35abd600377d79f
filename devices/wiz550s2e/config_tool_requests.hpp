#pragma once
// Request bodies of the configuration-tool protocol (spec §5.3), as the vendor tool builds them. The `simdev
// wizcfg` client sends them; the module's responder reads them at the same offsets.
#include <array>
#include <cstdint>
#include <string>

#include "devices/wiz550s2e/addresses.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::wiz550s2e::config_tool {

using ProductCode = std::array<std::uint8_t, 3>;
inline constexpr ProductCode kWiz550s2eProduct{0, 0, 0};

// Body sizes and offsets shared by requester and responder.
inline constexpr std::size_t kPasswordField = 16;
inline constexpr std::size_t kAuthSize = 6 + 1 + kPasswordField;  // dst MAC, pw_len, pw
inline constexpr std::size_t kProductBodySize = 7;
inline constexpr std::size_t kMacRangeBodySize = 12;
inline constexpr std::size_t kAliasField = 32;
inline constexpr std::size_t kAliasBodySize = kAliasField + 1;
inline constexpr std::size_t kMixedBodySize = 52;
inline constexpr std::size_t kFileNameField = 50;
inline constexpr std::size_t kUploadBodySize = kAuthSize + 4 + 2 + kFileNameField;

Bytes product_body(const ProductCode& product, const std::array<std::uint8_t, 3>& version, std::uint8_t option);
Bytes mac_range_body(const Mac& first, const Mac& last);
Bytes alias_body(const std::string& alias, std::uint8_t option);
Bytes mixed_body();
Bytes get_info_body(const Mac& mac);
// dst MAC, password length, password (NUL padded to 16): the body of reset / factory reset, and the start of
// set info and firmware upload.
Bytes auth_body(const Mac& mac, const std::string& password);
Bytes set_info_body(const Mac& mac, const std::string& password, ByteView image);
Bytes upload_body(const Mac& mac, const std::string& password, const Ip4& server, std::uint16_t port,
                  const std::string& file);

// The discovery reply body: product code, firmware version, MAC (12 bytes).
Bytes discovery_reply(const std::array<std::uint8_t, 3>& version, const Mac& mac);

}  // namespace simdev::wiz550s2e::config_tool
