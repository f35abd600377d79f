#pragma once
// Packing conditions for serial -> network (spec §3.4): size, time, delimiter + appendix, OR-combined.
#include <array>
#include <cstddef>
#include <cstdint>

#include "libsim/util/bytes.hpp"

namespace simdev::wiz550s2e {

struct PackingRules {
  std::size_t size = 0;  // 0 = off
  std::size_t time_ms = 0;  // 0 = off
  std::array<std::uint8_t, 4> delimiter{};
  std::size_t delimiter_length = 0;  // 0 = off
  std::size_t appendix = 0;

  bool any() const { return size > 0 || time_ms > 0 || delimiter_length > 0; }
};

class Packer {
 public:
  static constexpr std::size_t kMaxChunk = 1024;

  explicit Packer(PackingRules rules) : rules_(rules) {}
  const PackingRules& rules() const { return rules_; }

  // How many of the `pending` bytes (oldest first) to send now; 0 = keep waiting. `time_elapsed`: the pending
  // count has been non-zero and unchanged for the packing time.
  std::size_t ready_length(ByteView pending, bool time_elapsed) const;

 private:
  PackingRules rules_;
};

}  // namespace simdev::wiz550s2e
