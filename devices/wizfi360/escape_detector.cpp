#include "devices/wizfi360/escape_detector.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

namespace simdev::wizfi360 {
namespace {

constexpr std::uint8_t kPlus = 0x2B;
constexpr std::size_t kEscapeLength = 3;
constexpr std::uint8_t kHeldPlusses[kEscapeLength] = {kPlus, kPlus, kPlus};

std::chrono::milliseconds read_ms(const nlohmann::json& j, const char* key, std::chrono::milliseconds fallback) {
  if (!j.is_object() || !j.contains(key)) return fallback;
  const auto& v = j.at(key);
  if (!v.is_number_integer() || v.get<long>() < 0)
    throw std::invalid_argument(std::string("wizfi360 config: ") + key + " must be a non-negative integer");
  return std::chrono::milliseconds(v.get<long>());
}

}  // namespace

EscapeTiming EscapeTiming::from_json(const nlohmann::json& j) {
  EscapeTiming t;
  t.guard = read_ms(j, "escape_guard_ms", t.guard);
  t.settle = read_ms(j, "escape_settle_ms", t.settle);
  return t;
}

EscapeDetector::EscapeDetector(boost::asio::any_io_executor executor, EscapeTiming timing, Hooks hooks)
    : timing_(timing), hooks_(std::move(hooks)), timer_(std::move(executor)) {}

EscapeDetector::~EscapeDetector() { stop(); }

void EscapeDetector::start(TimePoint silence_since) {
  stop();
  running_ = true;
  last_ = silence_since;
}

void EscapeDetector::stop() {
  ++generation_;
  timer_.cancel();
  running_ = false;
  held_ = 0;
}

std::size_t EscapeDetector::feed(ByteView bytes, const ArrivalOf& arrival) {
  if (!running_) return 0;
  const std::uint8_t* data = bytes.data();
  const std::size_t size = bytes.size();
  std::size_t i = 0;
  while (i < size && running_) {
    const TimePoint t = arrival(data + i);
    const bool silence_before = t - last_ >= timing_.guard;
    if (held_ > 0) {
      if (silence_before && held_ == kEscapeLength) {
        recognised();
        return i;  // the hook may have destroyed us
      }
      if (silence_before) {
        release_held();  // a shorter run of `+` was a packet of its own: data
        continue;        // this byte is judged afresh (it may open a new attempt)
      }
      if (data[i] == kPlus && held_ < kEscapeLength) {
        hold(t);
        ++i;
        continue;
      }
      release_held();  // more than three `+`, or another byte in the same packet: all of it is data
      if (!running_) return i;
    } else if (data[i] == kPlus && silence_before) {
      hold(t);
      ++i;
      continue;
    }
    // An ordinary run: up to the next `+` (it may open an attempt if the silence before it is long enough).
    const void* next = size - i > 1 ? std::memchr(data + i + 1, kPlus, size - i - 1) : nullptr;
    const std::size_t end = next ? static_cast<std::size_t>(static_cast<const std::uint8_t*>(next) - data) : size;
    last_ = arrival(data + end - 1);
    hooks_.data(bytes.subspan(i, end - i), last_);
    i = end;
  }
  return i;
}

void EscapeDetector::hold(TimePoint arrival) {
  ++held_;
  last_ = arrival;
  arm();
}

void EscapeDetector::release_held() {
  const std::size_t n = held_;
  held_ = 0;
  ++generation_;
  timer_.cancel();
  hooks_.data(ByteView(kHeldPlusses, n), last_);
}

void EscapeDetector::arm() {
  const std::uint64_t generation = ++generation_;
  timer_.expires_at(last_ + timing_.guard + timing_.settle);
  std::weak_ptr<bool> alive = alive_;
  timer_.async_wait([this, alive, generation](const boost::system::error_code& ec) {
    if (ec || alive.expired() || generation != generation_) return;
    on_deadline();
  });
}

void EscapeDetector::on_deadline() {
  if (held_ == kEscapeLength) return recognised();
  if (held_ > 0) release_held();
}

void EscapeDetector::recognised() {
  stop();
  hooks_.escape();
}

}  // namespace simdev::wizfi360
