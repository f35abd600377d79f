#pragma once
// --control SPEC: "unix:PATH" (socket file, mode 0600) or "tcp:HOST:PORT" (port 0 = ephemeral).
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace simdev::control {

struct ControlEndpoint {
  enum class Type { unix_socket, tcp };
  Type type = Type::unix_socket;
  std::string path;       // unix
  std::string host;       // tcp
  std::uint16_t port = 0; // tcp (the bound one once listening)

  // Throws std::invalid_argument explaining what is wrong.
  static ControlEndpoint parse(const std::string& spec);
  std::string to_string() const;  // "unix:/run/simdev.ctl", "tcp:127.0.0.1:7000"
};

}  // namespace simdev::control
