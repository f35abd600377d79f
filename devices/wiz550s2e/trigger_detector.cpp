#include "devices/wiz550s2e/trigger_detector.hpp"

#include <cstring>

namespace simdev::wiz550s2e {

TriggerDetector::TriggerDetector(boost::asio::any_io_executor executor, const Timing& timing, Hooks hooks)
    : timing_(timing), hooks_(std::move(hooks)), timer_(executor) {}

void TriggerDetector::start(bool enabled, std::array<std::uint8_t, 3> bytes, TimePoint now) {
  stop();
  enabled_ = enabled;
  bytes_ = bytes;
  last_activity_ = now;
}

void TriggerDetector::stop() {
  ++generation_;
  timer_.cancel();
  matched_ = 0;
  batch_.clear();
}

void TriggerDetector::note_drain(TimePoint when) {
  if (when > last_activity_) last_activity_ = when;
}

void TriggerDetector::on_byte(std::uint8_t byte, TimePoint arrival) {
  if (matched_ == 0) {
    bool quiet = arrival - last_activity_ >= timing_.trigger_guard_before;
    if (enabled_ && byte == bytes_[0] && quiet) {
      matched_ = 1;
      last_match_ = arrival;
      arm(arrival + timing_.trigger_gap);
      return;
    }
    last_activity_ = arrival;
    emit(ByteView(&byte, 1), arrival);
    return;
  }
  if (arrival >= deadline_) {
    // The window closed before this byte arrived; its timer just has not fired yet.
    if (matched_ == bytes_.size()) {
      ++generation_;
      timer_.cancel();
      matched_ = 0;
      flush();
      hooks_.triggered();
      return;  // the byte belongs to AT mode; the caller routes it there
    }
    abort(deadline_);
    on_byte(byte, arrival);
    return;
  }
  if (matched_ < bytes_.size() && byte == bytes_[matched_]) {
    ++matched_;
    last_match_ = arrival;
    arm(arrival + (matched_ == bytes_.size() ? timing_.trigger_guard_after : timing_.trigger_gap));
    return;
  }
  abort(arrival);
  last_activity_ = arrival;
  emit(ByteView(&byte, 1), arrival);
}

std::size_t TriggerDetector::on_bytes(const serial::RxChunk& chunk, std::size_t from) {
  if (matched_ == 0) {
    if (std::size_t n = ordinary_run(chunk, from); n > 0) {
      const TimePoint last = chunk.arrival(from + n - 1);
      last_activity_ = last;
      emit(chunk.bytes.subspan(from, n), last);
      return n;
    }
  }
  on_byte(chunk.bytes[from], chunk.arrival(from));
  return 1;
}

// Length of the run from `from` up to the first byte that would open an attempt: a first trigger byte arriving
// after the guard before, where the guard counts from the previous byte of the run.
std::size_t TriggerDetector::ordinary_run(const serial::RxChunk& chunk, std::size_t from) const {
  const std::size_t size = chunk.bytes.size();
  if (!enabled_) return size - from;
  const std::uint8_t* data = chunk.bytes.data();
  std::size_t at = from;
  while (at < size) {
    const void* hit = std::memchr(data + at, bytes_[0], size - at);
    if (!hit) return size - from;
    at = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - data);
    const TimePoint previous = at == from ? last_activity_ : chunk.arrival(at - 1);
    if (chunk.arrival(at) - previous >= timing_.trigger_guard_before) return at - from;
    ++at;
  }
  return size - from;
}

void TriggerDetector::abort(TimePoint when) {
  ++generation_;
  timer_.cancel();
  Bytes held(bytes_.begin(), bytes_.begin() + static_cast<long>(matched_));
  matched_ = 0;
  last_activity_ = when;
  emit(held, when);
  if (hooks_.aborted) hooks_.aborted();
}

void TriggerDetector::arm(TimePoint deadline) {
  deadline_ = deadline;
  std::uint64_t generation = ++generation_;
  timer_.expires_at(deadline + timing_.trigger_settle);
  std::weak_ptr<bool> alive = alive_;
  timer_.async_wait([this, alive, generation](const boost::system::error_code& ec) {
    if (ec || alive.expired() || generation != generation_) return;
    on_deadline();
  });
}

void TriggerDetector::on_deadline() {
  if (matched_ == bytes_.size()) {
    matched_ = 0;
    flush();
    hooks_.triggered();
  } else if (matched_ > 0) {
    abort(deadline_);
    flush();
  }
}

void TriggerDetector::emit(ByteView bytes, TimePoint when) {
  batch_.insert(batch_.end(), bytes.begin(), bytes.end());
  batch_time_ = when;
}

void TriggerDetector::flush() {
  if (batch_.empty()) return;
  Bytes out;
  out.swap(batch_);
  hooks_.pass(out, batch_time_);
  if (batch_.empty()) {  // keep the allocation for the next chunk
    out.clear();
    batch_.swap(out);
  }
}

}  // namespace simdev::wiz550s2e
