#pragma once
// One device's non-volatile memory as a JSON file:
//   {"schema":"simdev.<kind>.flash","version":N,"data":{...device fields...}}
// Writes are atomic (temp file, fsync, rename, fsync dir). A file that does not parse, is truncated, or
// carries another schema/version is renamed to <path>.corrupt-<timestamp> and the device starts from
// factory defaults, with a warning.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

namespace simdev::store {

struct FlashOptions {
  std::filesystem::path path;  // empty: no file, the device keeps settings in memory only
  bool reset = false;          // --flash-reset: ignore the file's contents, start from defaults
  bool readonly = false;       // --flash-readonly: never write
};

class FlashStore {
 public:
  FlashStore(FlashOptions options, std::string schema, int version, std::shared_ptr<spdlog::logger> log);

  // The stored data object, or nullopt when the device must use factory defaults (no file, --flash-reset,
  // or an unusable file, which is then moved aside unless readonly). A reset never deletes the old file:
  // it is only replaced by the first save().
  std::optional<nlohmann::json> load();
  // Atomically replaces the file's data (no-op when readonly or pathless). Throws std::runtime_error on I/O failure.
  void save(const nlohmann::json& data);

  const std::filesystem::path& path() const { return options_.path; }
  bool readonly() const { return options_.readonly; }
  // Where load() moved a corrupt file, if it did.
  const std::optional<std::filesystem::path>& moved_aside() const { return moved_aside_; }
  std::uint64_t writes() const { return writes_; }

 private:
  void move_aside(const std::string& problem);
  void warn(const std::string& message) const;

  FlashOptions options_;
  std::string schema_;
  int version_;
  std::shared_ptr<spdlog::logger> log_;
  std::optional<std::filesystem::path> moved_aside_;
  std::uint64_t writes_ = 0;
};

}  // namespace simdev::store
