#include "devices/wiz550s2e/eeprom_image.hpp"

#include <algorithm>

namespace simdev::wiz550s2e {
namespace {

class Writer {
 public:
  explicit Writer(Bytes& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) {
    u8(static_cast<std::uint8_t>(v & 0xff));
    u8(static_cast<std::uint8_t>(v >> 8));
  }
  void u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v & 0xffff));
    u16(static_cast<std::uint16_t>(v >> 16));
  }
  template <std::size_t N>
  void raw(const std::array<std::uint8_t, N>& a) {
    out_.insert(out_.end(), a.begin(), a.end());
  }
  void text(const std::string& s, std::size_t field) {
    std::size_t n = std::min(s.size(), field);
    out_.insert(out_.end(), s.begin(), s.begin() + static_cast<long>(n));
    out_.insert(out_.end(), field - n, 0);
  }

 private:
  Bytes& out_;
};

class Parser {
 public:
  explicit Parser(ByteView in) : in_(in) {}
  std::uint8_t u8() { return in_[pos_++]; }
  std::uint16_t u16() {
    std::uint16_t lo = u8();
    return static_cast<std::uint16_t>(lo | (u8() << 8));
  }
  std::uint32_t u32() {
    std::uint32_t lo = u16();
    return lo | (static_cast<std::uint32_t>(u16()) << 16);
  }
  template <std::size_t N>
  void raw(std::array<std::uint8_t, N>& a) {
    for (auto& b : a) b = u8();
  }
  std::string text(std::size_t field) {
    auto begin = in_.begin() + static_cast<long>(pos_);
    auto end = std::find(begin, begin + static_cast<long>(field), 0);
    pos_ += field;
    return std::string(begin, end);
  }

 private:
  ByteView in_;
  std::size_t pos_ = 0;
};

}  // namespace

Bytes to_image(const Settings& s) {
  Bytes out;
  out.reserve(kImageSize);
  Writer w(out);
  w.u16(s.packet_size);
  w.raw(s.module_type);
  w.text(s.module_name, 25);
  w.raw(s.fw_ver);
  w.raw(s.mac);
  w.raw(s.local_ip);
  w.raw(s.gateway);
  w.raw(s.subnet);
  w.u8(static_cast<std::uint8_t>(s.working_mode));
  w.u8(s.state);
  w.raw(s.remote_ip);
  w.u16(s.local_port);
  w.u16(s.remote_port);
  w.u16(s.inactivity);
  w.u16(s.reconnection);
  w.u16(s.packing_time);
  w.u8(s.packing_size);
  w.raw(s.packing_delimiter);
  w.u8(s.packing_delimiter_length);
  w.u8(s.packing_data_appendix);
  w.u32(s.baud_rate);
  w.u8(s.data_bits);
  w.u8(s.parity);
  w.u8(s.stop_bits);
  w.u8(s.flow_control);
  w.text(s.pw_setting, 10);
  w.text(s.pw_connect, 10);
  w.u8(s.dhcp_use ? 1 : 0);
  w.u8(s.dns_use ? 1 : 0);
  w.raw(s.dns_server_ip);
  w.text(s.dns_domain_name, 50);
  w.u8(s.serial_command ? 1 : 0);
  w.raw(s.serial_trigger);
  w.text(s.mqtt_user, 10);
  w.text(s.mqtt_pw, 10);
  w.text(s.mqtt_publish_topic, 25);
  w.text(s.mqtt_subscribe_topic, 25);
  return out;
}

std::optional<Settings> from_image(ByteView image) {
  if (image.size() != kImageSize) return std::nullopt;
  Parser p(image);
  Settings s;
  s.packet_size = p.u16();
  p.raw(s.module_type);
  s.module_name = p.text(25);
  p.raw(s.fw_ver);
  p.raw(s.mac);
  p.raw(s.local_ip);
  p.raw(s.gateway);
  p.raw(s.subnet);
  std::uint8_t mode = p.u8();
  s.working_mode = mode <= 4 ? static_cast<WorkingMode>(mode) : WorkingMode::server;
  s.state = p.u8();
  p.raw(s.remote_ip);
  s.local_port = p.u16();
  s.remote_port = p.u16();
  s.inactivity = p.u16();
  s.reconnection = p.u16();
  s.packing_time = p.u16();
  s.packing_size = p.u8();
  p.raw(s.packing_delimiter);
  s.packing_delimiter_length = p.u8();
  s.packing_data_appendix = p.u8();
  s.baud_rate = p.u32();
  s.data_bits = p.u8();
  s.parity = p.u8();
  s.stop_bits = p.u8();
  s.flow_control = p.u8();
  s.pw_setting = p.text(10);
  s.pw_connect = p.text(10);
  s.dhcp_use = p.u8() != 0;
  s.dns_use = p.u8() != 0;
  p.raw(s.dns_server_ip);
  s.dns_domain_name = p.text(50);
  s.serial_command = p.u8() != 0;
  p.raw(s.serial_trigger);
  s.mqtt_user = p.text(10);
  s.mqtt_pw = p.text(10);
  s.mqtt_publish_topic = p.text(25);
  s.mqtt_subscribe_topic = p.text(25);
  return s;
}

}  // namespace simdev::wiz550s2e
