#include "tests/support/mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "tests/support/certs_authority.hpp"
#include "tests/support/wait.hpp"

extern char** environ;

namespace simdev::test {
namespace {

bool accepts_connections(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

}  // namespace

std::uint16_t free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

MosquittoBroker::MosquittoBroker() {
  char pattern[] = "/tmp/simdev-mosquitto-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  const auto& certs = TestCerts::shared();
  plain_port_ = free_loopback_port();
  tls_port_ = free_loopback_port();
  mtls_port_ = free_loopback_port();
  auth_port_ = free_loopback_port();
  const auto passwords = dir_ / "passwords";
  if (run_program({"mosquitto_passwd", "-b", "-c", passwords.string(), kAuthUser, kAuthPassword}, dir_ / "passwd.log") != 0)
    throw std::runtime_error("mosquitto_passwd failed");
  std::ofstream conf(dir_ / "mosquitto.conf");
  // `user root`: mosquitto drops privileges before reading the keys otherwise (stack.md M1).
  conf << "user root\nper_listener_settings true\npersistence false\nlog_dest stderr\nlog_type all\n"
       << "listener " << plain_port_ << " 127.0.0.1\nallow_anonymous true\n"
       << "listener " << tls_port_ << " 127.0.0.1\nallow_anonymous true\n"
       << "cafile " << certs.ca_file().string() << "\ncertfile " << certs.server_cert_file().string()
       << "\nkeyfile " << certs.server_key_file().string() << "\n"
       << "listener " << mtls_port_ << " 127.0.0.1\n"
       << "cafile " << certs.ca_file().string() << "\ncertfile " << certs.server_cert_file().string()
       << "\nkeyfile " << certs.server_key_file().string() << "\n"
       << "require_certificate true\nuse_identity_as_username true\nallow_anonymous false\n"
       << "listener " << auth_port_ << " 127.0.0.1\nallow_anonymous false\npassword_file " << passwords.string() << "\n";
  conf.close();
  start();
}

MosquittoBroker::~MosquittoBroker() {
  stop(SIGTERM);
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void MosquittoBroker::start() {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log_path = (dir_ / "mosquitto.log").string();
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const std::string conf = (dir_ / "mosquitto.conf").string();
  char* argv[] = {const_cast<char*>("mosquitto"), const_cast<char*>("-c"), const_cast<char*>(conf.c_str()), nullptr};
  const int rc = posix_spawnp(&pid_, "mosquitto", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start mosquitto");
  }
  const bool ready = wait_until(
      [&] {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          return true;  // exited: reported below
        }
        return accepts_connections(plain_port_) && accepts_connections(tls_port_) && accepts_connections(mtls_port_) &&
               accepts_connections(auth_port_);
      },
      std::chrono::seconds(10));
  if (!ready || pid_ < 0) {
    stop(SIGKILL);
    throw std::runtime_error("mosquitto did not start:\n" + log());
  }
}

void MosquittoBroker::stop(int signal) {
  if (pid_ <= 0) return;
  // mosquitto sets its run flag only after installing the SIGTERM handler, so a SIGTERM that lands in between
  // is forgotten and the broker runs on: keep repeating it, and fall back to SIGKILL.
  const bool exited = wait_until(
      [&] {
        ::kill(pid_, signal);
        ::kill(pid_, SIGCONT);  // a paused broker handles SIGTERM only once it runs again
        return waitpid(pid_, nullptr, WNOHANG) == pid_;
      },
      std::chrono::seconds(3), std::chrono::milliseconds(50));
  if (!exited) {
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
}

void MosquittoBroker::kill() { stop(SIGKILL); }

void MosquittoBroker::pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void MosquittoBroker::resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

void MosquittoBroker::restart() {
  stop(SIGTERM);
  start();
}

std::string MosquittoBroker::log() const {
  std::ifstream in(dir_ / "mosquitto.log");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace simdev::test
