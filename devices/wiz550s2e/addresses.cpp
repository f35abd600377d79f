#include "devices/wiz550s2e/addresses.hpp"

#include <cctype>
#include <cstdio>
#include <vector>

namespace simdev::wiz550s2e {
namespace {

// Splits at `sep`, dropping empty groups (the firmware's tokenizer does the same).
std::vector<std::string_view> groups(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string to_string(const Ip4& ip) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
  return buf;
}

std::string to_string(const Mac& mac) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  return buf;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::optional<Ip4> parse_ip(std::string_view text) {
  if (text.size() < 7 || text.size() > 15) return std::nullopt;
  auto parts = groups(text, '.');
  if (parts.size() != 4) return std::nullopt;
  Ip4 ip{};
  unsigned sum = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (!all_digits(parts[i])) return std::nullopt;
    unsigned value = 0;
    for (char c : parts[i]) {
      value = value * 10 + static_cast<unsigned>(c - '0');
      if (value > 255) return std::nullopt;
    }
    ip[i] = static_cast<std::uint8_t>(value);
    sum += value;
  }
  if (sum == 0) return std::nullopt;
  return ip;
}

std::optional<Mac> parse_mac(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  auto parts = groups(text, ':');
  if (parts.size() != 6) return std::nullopt;
  Mac mac{};
  for (std::size_t i = 0; i < 6; ++i) {
    if (parts[i].size() != 2) return std::nullopt;
    unsigned value = 0;
    for (char c : parts[i]) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
      value = value * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c))
                                                     ? c - '0'
                                                     : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
    }
    mac[i] = static_cast<std::uint8_t>(value);
  }
  return mac;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i < text.size() && text[i] == '+') ++i;
  std::string_view digits = text.substr(i);
  if (!all_digits(digits)) return std::nullopt;
  unsigned long value = 0;
  for (char c : digits) {
    value = value * 10 + static_cast<unsigned long>(c - '0');
    if (value > 65535) return std::nullopt;
  }
  if (value == 0) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace simdev::wiz550s2e
