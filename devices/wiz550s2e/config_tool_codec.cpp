#include "devices/wiz550s2e/config_tool_codec.hpp"

namespace simdev::wiz550s2e::config_tool {

void apply_key(Bytes& body, std::uint8_t key) {
  if (key == 0) return;
  for (auto& b : body) b ^= key;
}

Bytes encode(Header header, const Bytes& body) {
  header.length = static_cast<std::uint16_t>(body.size());
  Bytes out{kStx,
            header.valid,
            header.unicast,
            header.op,
            header.direction,
            static_cast<std::uint8_t>(header.length & 0xFF),
            static_cast<std::uint8_t>(header.length >> 8)};
  Bytes encrypted = body;
  apply_key(encrypted, header.key());
  out.insert(out.end(), encrypted.begin(), encrypted.end());
  return out;
}

std::optional<Message> decode(ByteView datagram, std::uint8_t direction) {
  if (datagram.size() < kHeaderSize || datagram[0] != kStx || datagram[4] != direction) return std::nullopt;
  Message m;
  m.header.valid = datagram[1];
  m.header.unicast = datagram[2];
  m.header.op = datagram[3];
  m.header.direction = datagram[4];
  m.header.length = static_cast<std::uint16_t>(datagram[5] | (datagram[6] << 8));
  if (datagram.size() - kHeaderSize != m.header.length) return std::nullopt;
  m.body.assign(datagram.begin() + kHeaderSize, datagram.end());
  apply_key(m.body, m.header.key());
  return m;
}

}  // namespace simdev::wiz550s2e::config_tool
