#include "devices/wiz550s2e/line_discipline.hpp"

#include <cctype>

namespace simdev::wiz550s2e {

std::optional<std::string> LineDiscipline::feed(std::uint8_t byte) {
  switch (byte) {
    case '\n': {
      if (line_.empty()) return std::nullopt;
      std::string done;
      done.swap(line_);
      history_.push_back(done);
      if (history_.size() > 2) history_.pop_front();
      return done;
    }
    case '\r': return std::nullopt;
    case 0x08:
      if (!line_.empty()) line_.pop_back();
      return std::nullopt;
    default: break;
  }
  // C-locale isgraph/space: bytes >= 0x80 are neither.
  bool keep = byte < 0x80 && (std::isgraph(byte) || byte == ' ');
  if (keep && line_.size() < kMaxLine) line_.push_back(static_cast<char>(byte));
  return std::nullopt;
}

std::string LineDiscipline::previous_line() const { return history_.size() >= 2 ? history_.front() : std::string(); }

}  // namespace simdev::wiz550s2e
