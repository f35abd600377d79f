#include "libsim/trace/tracer.hpp"

#include <chrono>
#include <stdexcept>

namespace simdev::trace {
namespace {

std::int64_t monotonic_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Tracer::Tracer(const std::string& path) : file_(std::fopen(path.c_str(), "w")) {
  if (file_ == nullptr) throw std::runtime_error("cannot open trace file " + path);
}

Tracer::~Tracer() {
  if (file_ != nullptr) std::fclose(file_);
}

void Tracer::serial(std::string_view device, Direction dir, ByteView bytes) {
  if (file_ == nullptr || bytes.empty()) return;
  write_line({{"t_us", monotonic_us()},
              {"device", device},
              {"dir", dir == Direction::rx ? "rx" : "tx"},
              {"text", escape_bytes(bytes)},
              {"hex", hex_bytes(bytes)}});
}

void Tracer::event(std::string_view device, std::string_view event, const nlohmann::json& fields) {
  if (file_ == nullptr) return;
  nlohmann::json line{{"t_us", monotonic_us()}, {"device", device}, {"event", event}};
  if (fields.is_object()) line.update(fields);
  write_line(line);
}

void Tracer::flush() {
  if (file_ != nullptr) std::fflush(file_);
}

void Tracer::write_line(const nlohmann::json& j) {
  // Invalid UTF-8 in free-form fields must not throw out of the event loop.
  const std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fputs(text.c_str(), file_);
  std::fputc('\n', file_);
}

}  // namespace simdev::trace
