#include "devices/wiz550s2e/packer.hpp"

#include <algorithm>

namespace simdev::wiz550s2e {

std::size_t Packer::ready_length(ByteView pending, bool time_elapsed) const {
  const std::size_t n = pending.size();
  if (n == 0) return 0;
  const std::size_t everything = std::min(n, kMaxChunk);
  if (!rules_.any()) return everything;

  const bool size_reached = rules_.size > 0 && n >= rules_.size;
  if (rules_.delimiter_length > 0) {
    auto delim_begin = rules_.delimiter.begin();
    auto delim_end = delim_begin + static_cast<long>(rules_.delimiter_length);
    auto hit = std::search(pending.begin(), pending.end(), delim_begin, delim_end);
    if (hit != pending.end()) {
      std::size_t through = static_cast<std::size_t>(hit - pending.begin()) + rules_.delimiter_length;
      std::size_t wanted = through + rules_.appendix;
      if (!size_reached || wanted < rules_.size) {
        if (n >= wanted) return wanted;
        return time_elapsed ? everything : 0;  // waiting for appendix bytes
      }
      return rules_.size;
    }
  }
  if (size_reached) return rules_.size;
  if (time_elapsed && rules_.time_ms > 0) return everything;
  return 0;
}

}  // namespace simdev::wiz550s2e
