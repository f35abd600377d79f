#pragma once
// WizFi360 conformance transcripts: text files of steps replayed against the device in memory.
//
//   # comment                 ignored, as are blank lines
//   config {json}             merge patch over the fast test configuration (only before the first other step)
//   > bytes                   host writes these bytes (C escapes: \r \n \t \\ \" \xNN)
//   < bytes                   the device must write exactly these bytes next (consecutive lines concatenate)
//   wait <ms>                 let the loop run for this long (for "nothing happens" checks, never to sync)
//   quiet                     nothing unread may be pending now
//   control {json}            a control-plane request; an optional next line `reply {json}` lists fields the
//                             reply must contain
//   state <json-pointer> <json>   a field of Device::state() must equal this value
//   uart <text>               the serial port's settings as uart_settings' to_string renders them
//   restart                   drop the device and power a new one on over the same flash file
//   noboot                    (first step) don't consume the boot banner automatically
#include <filesystem>
#include <string>
#include <vector>

namespace simdev::test {

struct Step {
  enum class Kind { config, input, expect, wait, quiet, control, reply, state, uart, restart, noboot };
  Kind kind;
  std::string text;  // unescaped bytes for input/expect, raw text otherwise
  int line = 0;
};

// Throws std::runtime_error naming the file and line on a malformed step.
std::vector<Step> load_transcript(const std::filesystem::path& file);
std::string unescape(const std::string& text);

}  // namespace simdev::test
