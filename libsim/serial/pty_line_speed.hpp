#pragma once
// Reads the line speed a pty client set, including non-standard rates (BOTHER), via TCGETS2 on the master.
#include <cstdint>
#include <optional>

namespace simdev::serial {

// nullopt when the ioctl fails or reports no speed.
std::optional<std::uint32_t> pty_client_speed(int master_fd);

}  // namespace simdev::serial
