#pragma once
// --trace FILE: JSON lines of serial bytes and socket events with monotonic microsecond timestamps.
// A default-constructed Tracer is disabled and costs one branch per call.
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "libsim/util/bytes.hpp"

namespace simdev::trace {

enum class Direction { rx, tx };  // rx: host -> device, tx: device -> host

class Tracer {
 public:
  Tracer() = default;
  // Opens (truncates) the file; throws std::runtime_error naming the path on failure.
  explicit Tracer(const std::string& path);
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  bool enabled() const { return file_ != nullptr; }
  // {"t_us":..,"device":..,"dir":"rx","text":"AT\r\n","hex":"41540d0a"}
  void serial(std::string_view device, Direction dir, ByteView bytes);
  // {"t_us":..,"device":..,"event":"socket_open",...fields}
  void event(std::string_view device, std::string_view event, const nlohmann::json& fields = {});
  void flush();

 private:
  void write_line(const nlohmann::json& j);
  std::FILE* file_ = nullptr;
};

}  // namespace simdev::trace
