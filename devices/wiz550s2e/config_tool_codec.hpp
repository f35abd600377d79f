#pragma once
// Framing of the configuration-tool protocol (spec §5.2): a 7-byte plaintext header and a body XORed with the key
// in the header's `valid` byte. Shared by the module's responder and the `simdev wizcfg` client.
#include <cstdint>
#include <optional>

#include "libsim/util/bytes.hpp"

namespace simdev::wiz550s2e::config_tool {

inline constexpr std::uint16_t kPort = 6550;
inline constexpr std::uint8_t kStx = 0xA5;
inline constexpr std::uint8_t kRequest = 0xAA;
inline constexpr std::uint8_t kReply = 0x55;
inline constexpr std::size_t kHeaderSize = 7;

namespace op {
inline constexpr std::uint8_t discover_all = 0xA1;
inline constexpr std::uint8_t discover_product = 0xA2;
inline constexpr std::uint8_t discover_mac_range = 0xA3;
inline constexpr std::uint8_t discover_alias = 0xA4;
inline constexpr std::uint8_t discover_mixed = 0xA5;
inline constexpr std::uint8_t get_info = 0xB0;
inline constexpr std::uint8_t set_info = 0xC0;
inline constexpr std::uint8_t upload_init = 0xD1;
inline constexpr std::uint8_t upload_done = 0xD2;
inline constexpr std::uint8_t reset = 0xE0;
inline constexpr std::uint8_t factory_reset = 0xF0;
}  // namespace op

struct Header {
  std::uint8_t valid = 0x80;  // bit 7: body XORed, bits 0-6: key
  std::uint8_t unicast = 0;   // 0: the module replies by broadcast, 1: to the sender
  std::uint8_t op = 0;
  std::uint8_t direction = kRequest;
  std::uint16_t length = 0;  // body length, little-endian on the wire

  std::uint8_t key() const { return (valid & 0x80) != 0 ? static_cast<std::uint8_t>(valid & 0x7F) : 0; }
};

struct Message {
  Header header;
  Bytes body;  // plaintext
};

// XOR every byte with `key` (its own inverse).
void apply_key(Bytes& body, std::uint8_t key);

// Header + body, the body encrypted with the header's key; header.length is set from the body.
Bytes encode(Header header, const Bytes& body);
// A well-formed datagram of the given direction: STX, direction byte, and exactly `length` body bytes after
// the header. The body comes back decrypted. nullopt otherwise.
std::optional<Message> decode(ByteView datagram, std::uint8_t direction);

}  // namespace simdev::wiz550s2e::config_tool
