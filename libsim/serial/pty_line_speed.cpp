// Kept apart from every <termios.h> user: <asm/termbits.h> redefines the same names.
#include "libsim/serial/pty_line_speed.hpp"

#include <asm/ioctls.h>
#include <asm/termbits.h>

extern "C" int ioctl(int fd, unsigned long request, ...) noexcept;

namespace simdev::serial {

std::optional<std::uint32_t> pty_client_speed(int master_fd) {
  termios2 t{};
  if (ioctl(master_fd, TCGETS2, &t) != 0) return std::nullopt;
  if (t.c_ospeed == 0) return std::nullopt;
  return static_cast<std::uint32_t>(t.c_ospeed);
}

}  // namespace simdev::serial
