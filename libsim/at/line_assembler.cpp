#include "libsim/at/line_assembler.hpp"

namespace simdev::at {

LineAssembler::Event LineAssembler::push(std::uint8_t byte) {
  if (byte == '\n') {
    if (overflowed_) {
      overflowed_ = false;
      line_.clear();
      return Event::overflow;
    }
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (line_.size() > max_line_) {
      line_.clear();
      return Event::overflow;
    }
    return Event::line;
  }
  if (overflowed_) return Event::none;
  // The CR of the terminator may arrive as the byte after the limit; keep one byte of slack for it.
  if (line_.size() >= max_line_ + 1) {
    overflowed_ = true;
    line_.clear();
    return Event::none;
  }
  line_.push_back(static_cast<char>(byte));
  return Event::none;
}

std::string LineAssembler::take_line() {
  std::string out;
  out.swap(line_);
  return out;
}

void LineAssembler::reset() {
  line_.clear();
  overflowed_ = false;
}

}  // namespace simdev::at
