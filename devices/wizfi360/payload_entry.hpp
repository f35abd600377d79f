#pragma once
// Data entry after a `> ` prompt for CIPSEND, CIPSENDEX and CIPSENDBUF (§1.8): the raw bytes are never echoed;
// a `+++` packet of its own (§1.12 timing) cancels the entry with `SEND Canceled`.
#include <cstddef>
#include <functional>

#include "libsim/util/bytes.hpp"

namespace simdev::wizfi360 {

class Module;

struct PayloadEntry {
  std::size_t length = 0;       // raw bytes the host types at most
  bool ends_at_backslash_zero = false;  // CIPSENDEX: a typed `\0` ends the data early, `\\0` is a literal `\0`
};

// Takes over the serial input until the payload is complete (`complete` gets the bytes to send) or cancelled.
void collect_payload(Module& m, PayloadEntry entry, std::function<void(Bytes payload)> complete);

// The CIPSENDEX text rule as a byte filter: feed typed bytes, read `out`; `ended` once `\0` was typed.
class BackslashZeroFilter {
 public:
  void feed(std::uint8_t byte);
  // The entry ran out of length: pending backslashes are data.
  void flush();
  bool ended() const { return ended_; }
  Bytes out;

 private:
  int backslashes_ = 0;  // typed and not yet decided (0..2)
  bool ended_ = false;
};

}  // namespace simdev::wizfi360
