#pragma once
// The 232-byte packed little-endian configuration structure (spec §4.1): the EEPROM contents and the
// configuration tool's payload, always produced from Settings.
#include "devices/wiz550s2e/settings.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::wiz550s2e {

inline constexpr std::size_t kImageSize = 232;

Bytes to_image(const Settings& s);
// Reads an image back into fields (strings stop at the first NUL). nullopt when the size is wrong.
std::optional<Settings> from_image(ByteView image);

}  // namespace simdev::wiz550s2e
