#pragma once
// Bytes a transport has accepted but the OS has not taken yet. One slice is "in flight" (handed to an
// async write, so its memory must stay put); new bytes collect behind it.
#include <cstddef>
#include <cstdint>

#include "libsim/util/bytes.hpp"

namespace simdev::serial {

class OutputBuffer {
 public:
  void append(ByteView bytes) { queued_.insert(queued_.end(), bytes.begin(), bytes.end()); }
  std::size_t size() const { return in_flight_.size() - offset_ + queued_.size(); }
  bool empty() const { return size() == 0; }

  // The bytes to write next; stable until consumed() or clear().
  ByteView next() {
    if (offset_ == in_flight_.size()) {
      in_flight_.clear();
      offset_ = 0;
      in_flight_.swap(queued_);
    }
    return ByteView(in_flight_).subspan(offset_);
  }
  void consumed(std::size_t n) { offset_ += n; }
  // Drops everything; returns how many bytes were dropped.
  std::size_t clear() {
    const std::size_t dropped = size();
    in_flight_.clear();
    queued_.clear();
    offset_ = 0;
    return dropped;
  }

 private:
  Bytes in_flight_;
  std::size_t offset_ = 0;
  Bytes queued_;
};

}  // namespace simdev::serial
