#include "devices/wiz550s2e/config_tool_requests.hpp"

#include <algorithm>

namespace simdev::wiz550s2e::config_tool {
namespace {

void append(Bytes& out, ByteView bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

void append_text(Bytes& out, const std::string& text, std::size_t field) {
  const std::size_t n = std::min(text.size(), field);
  out.insert(out.end(), text.begin(), text.begin() + static_cast<long>(n));
  out.insert(out.end(), field - n, 0);
}

}  // namespace

Bytes product_body(const ProductCode& product, const std::array<std::uint8_t, 3>& version, std::uint8_t option) {
  Bytes out;
  append(out, product);
  append(out, version);
  out.push_back(option);
  return out;
}

Bytes mac_range_body(const Mac& first, const Mac& last) {
  Bytes out;
  append(out, first);
  append(out, last);
  return out;
}

Bytes alias_body(const std::string& alias, std::uint8_t option) {
  Bytes out;
  append_text(out, alias, kAliasField);
  out.push_back(option);
  return out;
}

Bytes mixed_body() { return Bytes(kMixedBodySize, 0); }

Bytes get_info_body(const Mac& mac) { return Bytes(mac.begin(), mac.end()); }

Bytes auth_body(const Mac& mac, const std::string& password) {
  Bytes out(mac.begin(), mac.end());
  out.push_back(static_cast<std::uint8_t>(std::min(password.size(), kPasswordField)));
  append_text(out, password, kPasswordField);
  return out;
}

Bytes set_info_body(const Mac& mac, const std::string& password, ByteView image) {
  Bytes out = auth_body(mac, password);
  append(out, image);
  return out;
}

Bytes upload_body(const Mac& mac, const std::string& password, const Ip4& server, std::uint16_t port,
                  const std::string& file) {
  Bytes out = auth_body(mac, password);
  append(out, server);
  out.push_back(static_cast<std::uint8_t>(port & 0xFF));
  out.push_back(static_cast<std::uint8_t>(port >> 8));
  append_text(out, file, kFileNameField);
  return out;
}

Bytes discovery_reply(const std::array<std::uint8_t, 3>& version, const Mac& mac) {
  Bytes out(kWiz550s2eProduct.begin(), kWiz550s2eProduct.end());
  append(out, version);
  append(out, mac);
  return out;
}

}  // namespace simdev::wiz550s2e::config_tool
