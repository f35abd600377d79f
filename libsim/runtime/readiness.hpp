#pragma once
// The readiness contract: one `SIMDEV READY {json}` line on stdout, the same JSON in --ready-file (atomic),
// READY=1 to $NOTIFY_SOCKET, and the pid in --pid-file.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace simdev::runtime {

struct DeviceReadiness {
  std::string name;
  std::string kind;
  nlohmann::json serial;        // Transport::describe()
  std::filesystem::path flash;  // empty: memory only
  nlohmann::json listeners = nlohmann::json::array();
};

// {"pid":..,"control":"unix:..."|null,"devices":[{"name","kind","serial","flash","listeners"}]}
nlohmann::json readiness_json(long pid, const std::string& control, const std::vector<DeviceReadiness>& devices);
// "SIMDEV READY {json}\n"
std::string ready_line(const nlohmann::json& readiness);

// Writes `text` to `path` through a temp file in the same directory and a rename, so a reader sees either
// nothing or the whole file. Throws std::runtime_error naming the path.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

// Sends `message` as one datagram to the systemd notification socket named by `socket_path` ("@name" is
// an abstract socket). Returns false when it could not be sent.
bool notify_systemd(const std::string& socket_path, const std::string& message);

}  // namespace simdev::runtime
