#include "tests/support/openssl_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

#include "tests/support/certs_authority.hpp"
#include "tests/support/mosquitto_broker.hpp"

extern char** environ;

namespace simdev::test {

OpensslServer::OpensslServer() {
  const auto& certs = TestCerts::shared();
  write_file(dir_ / "server.crt", certs.server_cert_pem);
  write_file(dir_ / "server.key", certs.server_key_pem);
  int in[2];
  int out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("openssl: pipe failed");
  port_ = free_loopback_port();
  const std::string accept = "127.0.0.1:" + std::to_string(port_);
  const std::string cert = (dir_ / "server.crt").string();
  const std::string key = (dir_ / "server.key").string();
  std::vector<std::string> args{"openssl", "s_server", "-accept", accept, "-cert", cert, "-key", key, "-naccept", "1"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const int rc = posix_spawnp(&pid_, "openssl", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("openssl s_server could not be started");
  }
  if (!stdout_shows("ACCEPT\n")) throw std::runtime_error("openssl s_server did not start accepting on " + accept);
}

OpensslServer::~OpensslServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

bool OpensslServer::stdout_shows(std::string_view text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto at = seen_.find(text); at != std::string::npos) {
      seen_.erase(0, at + text.size());
      return true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{stdout_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) return false;
    seen_.append(buf, static_cast<std::size_t>(n));
  }
}

void OpensslServer::send(std::string_view data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(stdin_fd_, data.data() + done, data.size() - done);
    if (n <= 0) throw std::runtime_error("openssl s_server: stdin closed");
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace simdev::test
