#pragma once
// Typed reads of optional fields of a JSON object (device configuration, flash file, radio world): a missing
// field leaves `out` as it is; a value of the wrong type throws std::invalid_argument(<prefix><field>).
#include <chrono>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace simdev::wizfi360 {

template <class T>
void read_field(const nlohmann::json& j, const char* field, T& out, const std::string& prefix) {
  if (!j.contains(field)) return;
  try {
    out = j.at(field).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(prefix + field);
  }
}

// A time in whole milliseconds; negative values are refused like malformed ones.
inline void read_millis(const nlohmann::json& j, const char* field, std::chrono::milliseconds& out,
                        const std::string& prefix) {
  long value = static_cast<long>(out.count());
  read_field(j, field, value, prefix);
  if (value < 0) throw std::invalid_argument(prefix + field + " (negative time)");
  out = std::chrono::milliseconds(value);
}

}  // namespace simdev::wizfi360
