#include "libsim/at/args.hpp"

#include <charconv>
#include <cstdio>

namespace simdev::at {

std::optional<Args> split_args(std::string_view text) {
  Args out;
  std::size_t i = 0;
  for (;;) {
    Arg arg;
    if (i < text.size() && text[i] == '"') {
      arg.quoted = true;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        char c = text[i++];
        if (c == '\\' && i < text.size()) {
          arg.text.push_back(text[i++]);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          arg.text.push_back(c);
        }
      }
      if (!closed) return std::nullopt;
      if (i < text.size() && text[i] != ',') return std::nullopt;
    } else {
      while (i < text.size() && text[i] != ',') {
        if (text[i] == '"') return std::nullopt;
        arg.text.push_back(text[i++]);
      }
    }
    out.push_back(std::move(arg));
    if (i >= text.size()) break;
    ++i;  // the comma
  }
  return out;
}

std::optional<long> to_int(const Arg& arg, long min, long max) {
  if (arg.quoted || arg.text.empty()) return std::nullopt;
  long value = 0;
  const char* first = arg.text.data();
  const char* last = first + arg.text.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last) return std::nullopt;
  if (value < min || value > max) return std::nullopt;
  return value;
}

std::optional<std::string> to_string(const Arg& arg, std::size_t min_len, std::size_t max_len) {
  if (!arg.quoted) return std::nullopt;
  if (arg.text.size() < min_len || arg.text.size() > max_len) return std::nullopt;
  return arg.text;
}

std::optional<Ipv4> parse_ipv4(std::string_view text) {
  Ipv4 ip{};
  std::size_t pos = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    std::size_t start = pos;
    unsigned value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 3) {
      value = value * 10 + static_cast<unsigned>(text[pos] - '0');
      ++pos;
    }
    if (pos == start || value > 255) return std::nullopt;
    ip[part] = static_cast<std::uint8_t>(value);
  }
  if (pos != text.size()) return std::nullopt;
  return ip;
}

std::string format_ipv4(const Ipv4& ip) {
  return std::to_string(ip[0]) + "." + std::to_string(ip[1]) + "." + std::to_string(ip[2]) + "." +
         std::to_string(ip[3]);
}

std::uint32_t ipv4_to_u32(const Ipv4& ip) {
  return (std::uint32_t{ip[0]} << 24) | (std::uint32_t{ip[1]} << 16) | (std::uint32_t{ip[2]} << 8) | ip[3];
}

Ipv4 u32_to_ipv4(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
          static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<Mac> parse_mac(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  Mac mac{};
  for (std::size_t i = 0; i < 6; ++i) {
    int hi = hex_value(text[i * 3]);
    int lo = hex_value(text[i * 3 + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    if (i < 5 && text[i * 3 + 2] != ':') return std::nullopt;
    mac[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return mac;
}

std::string format_mac(const Mac& mac) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  return buf;
}

}  // namespace simdev::at
