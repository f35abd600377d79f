#include "devices/wiz550s2e/config_tool_responder.hpp"

#include <algorithm>

#include "devices/wiz550s2e/config_tool_requests.hpp"
#include "devices/wiz550s2e/eeprom_image.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

constexpr std::size_t kImagePasswordOffset = 82;
constexpr std::size_t kImageVersionOffset = 30;

// strcmp-style text: up to the first NUL or the end of the buffer. The firmware's comparison of a 10-character
// setting password runs on into the connection password that follows it in the image.
std::string c_string(ByteView bytes, std::size_t offset) {
  if (offset >= bytes.size()) return {};
  auto begin = bytes.begin() + static_cast<long>(offset);
  return std::string(begin, std::find(begin, bytes.end(), 0));
}

Mac mac_at(ByteView body, std::size_t offset) {
  Mac mac{};
  std::copy_n(body.begin() + static_cast<long>(offset), mac.size(), mac.begin());
  return mac;
}

class Request {
 public:
  Request(Message message, const Settings& current)
      : m_(std::move(message)), current_(current), image_(to_image(current)) {}

  Outcome dispatch() {
    switch (m_.header.op >> 4) {
      case 0xA: return discover();
      case 0xB: return get_info();
      case 0xC: return set_info();
      case 0xD: return m_.header.op == op::upload_init ? upload() : Outcome{};
      case 0xE: return authenticated(kAuthSize) ? reply(mac_body(), Action::reset) : Outcome{};
      case 0xF: return authenticated(kAuthSize) ? reply(mac_body(), Action::factory_reset) : Outcome{};
      default: return {};
    }
  }

 private:
  Outcome discover() {
    const ByteView body(m_.body);
    bool match = false;
    switch (m_.header.op) {
      case op::discover_all: match = true; break;
      case op::discover_product:
        match = body.size() == kProductBodySize && std::equal(kWiz550s2eProduct.begin(), kWiz550s2eProduct.end(), body.begin());
        break;
      case op::discover_mac_range:
        match = body.size() == kMacRangeBodySize;
        for (std::size_t i = 0; match && i < current_.mac.size(); ++i)
          match = body[i] <= current_.mac[i] && current_.mac[i] <= body[6 + i];
        break;
      case op::discover_alias:
        match = body.size() == kAliasBodySize && current_.module_name.starts_with(c_string(body.first(kAliasField), 0));
        break;
      case op::discover_mixed: match = true; break;  // "none (always answers)": any body, 52 bytes or not
      default: break;
    }
    return match ? reply(discovery_reply(current_.fw_ver, current_.mac), Action::none) : Outcome{};
  }

  Outcome get_info() {
    if (m_.body.size() != 6 || mac_at(m_.body, 0) != current_.mac) return {};
    Bytes body = mac_body();
    body.insert(body.end(), image_.begin(), image_.end());
    return reply(std::move(body), Action::none);
  }

  Outcome set_info() {
    if (!authenticated(kAuthSize + kImageSize)) return {};
    Bytes image(m_.body.begin() + static_cast<long>(kAuthSize), m_.body.end());
    std::copy(current_.fw_ver.begin(), current_.fw_ver.end(), image.begin() + static_cast<long>(kImageVersionOffset));
    auto settings = from_image(image);
    Bytes body = mac_body();
    body.insert(body.end(), image.begin(), image.end());
    Outcome out = reply(std::move(body), Action::apply_settings);
    out.settings = settings;
    return out;
  }

  Outcome upload() {
    if (!authenticated(kUploadBodySize)) return {};
    UploadRequest up;
    up.header = m_.header;
    std::copy_n(m_.body.begin() + static_cast<long>(kAuthSize), 4, up.server.begin());
    up.port = static_cast<std::uint16_t>(m_.body[kAuthSize + 4] | (m_.body[kAuthSize + 5] << 8));
    up.file = c_string(ByteView(m_.body).first(kUploadBodySize), kAuthSize + 6);
    Outcome out = reply(mac_body(), Action::firmware_upload);
    out.upload = std::move(up);
    return out;
  }

  // Exact body size, our MAC, and the password as a C string equal to the stored setting password.
  bool authenticated(std::size_t size) const {
    if (m_.body.size() != size || mac_at(m_.body, 0) != current_.mac) return false;
    const std::string given = c_string(ByteView(m_.body).first(kAuthSize), 7);
    return given == c_string(image_, kImagePasswordOffset);
  }

  Bytes mac_body() const { return Bytes(current_.mac.begin(), current_.mac.end()); }

  Outcome reply(Bytes body, Action action) const {
    Header h = m_.header;
    h.direction = kReply;
    Outcome out;
    out.reply = encode(h, body);
    out.action = action;
    return out;
  }

  Message m_;
  const Settings& current_;
  Bytes image_;
};

}  // namespace

Outcome respond(ByteView datagram, const Settings& current) {
  auto message = decode(datagram, kRequest);
  if (!message) return {};
  return Request(std::move(*message), current).dispatch();
}

}  // namespace simdev::wiz550s2e::config_tool
