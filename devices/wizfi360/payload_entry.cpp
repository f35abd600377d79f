#include "devices/wizfi360/payload_entry.hpp"

#include <algorithm>
#include <memory>

#include <boost/asio/post.hpp>

#include "devices/wizfi360/escape_detector.hpp"
#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr std::uint8_t kBackslash = '\\';
constexpr std::uint8_t kZero = '0';

class Entry : public std::enable_shared_from_this<Entry> {
 public:
  Entry(Module& m, PayloadEntry spec, std::function<void(Bytes)> complete)
      : m_(m),
        spec_(spec),
        complete_(std::move(complete)),
        detector_(m.executor(), m.links().timing().send_escape,
                  EscapeDetector::Hooks{[this](ByteView data, serial::Clock::time_point) { take(data); },
                                        [this] { cancel(); }}) {}

  void start() {
    detector_.start(serial::Clock::now());
    auto self = shared_from_this();
    m_.set_raw_input([self](ByteView bytes) { return self->on_input(bytes); });
  }

 private:
  std::size_t on_input(ByteView bytes) {
    std::size_t used = 0;
    while (used < bytes.size() && !finished_) {
      std::size_t room = spec_.length - typed_ - detector_.holding();
      if (room == 0) {
        // Held `+` fill the payload and another byte follows in the same packet: they were data.
        std::size_t held = detector_.holding();
        detector_.stop();
        Bytes pluses(held, '+');
        take(pluses);
        break;
      }
      // CIPSENDEX may end early at any byte: hand them over one at a time so the rest stays for the line parser.
      std::size_t n = spec_.ends_at_backslash_zero ? 1 : std::min(room, bytes.size() - used);
      std::size_t took = detector_.feed(bytes.subspan(used, n), [this](const std::uint8_t* p) { return m_.arrival_of(p); });
      used += took;
      if (took == 0) break;
    }
    return used;
  }

  void take(ByteView data) {
    for (std::uint8_t byte : data) {
      if (finished_) return;
      ++typed_;
      if (spec_.ends_at_backslash_zero) {
        filter_.feed(byte);
        if (filter_.ended()) return finish();
      } else {
        filter_.out.push_back(byte);
      }
      if (typed_ == spec_.length) {
        filter_.flush();
        return finish();
      }
    }
  }

  void finish() {
    auto keep = end_entry();
    complete_(std::move(filter_.out));
  }

  void cancel() {
    auto keep = end_entry();
    m_.send("\r\nSEND Canceled\r\n");
  }

  // Leaves data entry; the returned handle keeps this object alive until the loop is done with it.
  std::shared_ptr<Entry> end_entry() {
    finished_ = true;
    detector_.stop();
    auto keep = shared_from_this();
    m_.set_raw_input(nullptr);
    boost::asio::post(m_.executor(), [keep] {});
    return keep;
  }

  Module& m_;
  PayloadEntry spec_;
  std::function<void(Bytes)> complete_;
  EscapeDetector detector_;
  BackslashZeroFilter filter_;
  std::size_t typed_ = 0;
  bool finished_ = false;
};

}  // namespace

void collect_payload(Module& m, PayloadEntry entry, std::function<void(Bytes payload)> complete) {
  std::make_shared<Entry>(m, entry, std::move(complete))->start();
}

void BackslashZeroFilter::feed(std::uint8_t byte) {
  if (ended_) return;
  if (byte == kZero && backslashes_ == 1) {
    backslashes_ = 0;
    ended_ = true;
    return;
  }
  if (byte == kZero && backslashes_ == 2) {
    backslashes_ = 0;
    out.push_back(kBackslash);
    out.push_back(kZero);
    return;
  }
  if (byte == kBackslash) {
    if (backslashes_ == 2) out.push_back(kBackslash);  // `\\\`: the first one is plain data
    backslashes_ = std::min(backslashes_ + 1, 2);
    return;
  }
  flush();
  out.push_back(byte);
}

void BackslashZeroFilter::flush() {
  out.insert(out.end(), static_cast<std::size_t>(backslashes_), kBackslash);
  backslashes_ = 0;
}

}  // namespace simdev::wizfi360
