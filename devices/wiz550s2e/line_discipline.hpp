#pragma once
// AT-mode line assembly (spec §1.1): LF ends a line, CR ignored, backspace edits, other control bytes and
// bytes >= 0x80 dropped, 99 characters kept, and the two-line history behind `AT?`.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace simdev::wiz550s2e {

class LineDiscipline {
 public:
  static constexpr std::size_t kMaxLine = 99;

  // Returns a completed non-empty line (already entered into the history).
  std::optional<std::string> feed(std::uint8_t byte);
  // The line entered before the most recent one ("" if none).
  std::string previous_line() const;
  void clear_history() { history_.clear(); }
  void clear_line() { line_.clear(); }

 private:
  std::string line_;
  std::deque<std::string> history_;  // oldest first, at most 2
};

}  // namespace simdev::wiz550s2e
