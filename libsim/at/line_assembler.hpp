#pragma once
// Splits a byte stream into AT command lines: LF ends a line, one CR right before it is stripped, a lone CR
// stays part of the line. A line longer than the limit is discarded up to its LF and reported as an overflow.
#include <cstddef>
#include <cstdint>
#include <string>

namespace simdev::at {

class LineAssembler {
 public:
  enum class Event { none, line, overflow };

  explicit LineAssembler(std::size_t max_line) : max_line_(max_line) {}

  // Feeds one byte. On Event::line the finished line (CR stripped, possibly empty) is in take_line().
  Event push(std::uint8_t byte);
  std::string take_line();
  void reset();
  std::size_t pending() const { return line_.size(); }

 private:
  std::size_t max_line_;
  std::string line_;
  bool overflowed_ = false;
};

}  // namespace simdev::at
