#include "libsim/runtime/readiness.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace simdev::runtime {

nlohmann::json readiness_json(long pid, const std::string& control, const std::vector<DeviceReadiness>& devices) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : devices) {
    list.push_back({{"name", d.name},
                    {"kind", d.kind},
                    {"serial", d.serial},
                    {"flash", d.flash.empty() ? nlohmann::json() : nlohmann::json(d.flash.string())},
                    {"listeners", d.listeners.is_array() ? d.listeners : nlohmann::json::array()}});
  }
  return {{"pid", pid}, {"control", control.empty() ? nlohmann::json() : nlohmann::json(control)}, {"devices", list}};
}

std::string ready_line(const nlohmann::json& readiness) {
  return "SIMDEV READY " + readiness.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::string temp = path.string() + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + path.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      throw std::runtime_error("cannot write " + path.string() + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    throw std::runtime_error("cannot write " + path.string() + ": " + why);
  }
}

bool notify_systemd(const std::string& socket_path, const std::string& message) {
  if (socket_path.empty()) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, socket_path.data(), socket_path.size());
  if (socket_path[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
  const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path.size());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const ssize_t sent = ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr), len);
  ::close(fd);
  return sent == static_cast<ssize_t>(message.size());
}

}  // namespace simdev::runtime
