#pragma once
// A real mosquitto broker for tests, started by the test itself on free loopback ports with three listeners:
// plain (anonymous), TLS (server auth only), mutual TLS (client certificate required; identity = username) and
// plain with a password file (only kAuthUser / kAuthPassword may connect).
// Certificates come from TestCerts::shared().
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>

namespace simdev::test {

// A port that was free on 127.0.0.1 a moment ago (bind port 0, read it, close).
std::uint16_t free_loopback_port();

class MosquittoBroker {
 public:
  static constexpr const char* kAuthUser = "adafruit-user";
  static constexpr const char* kAuthPassword = "aio-key";

  // Starts the broker and waits (with a deadline) until all three listeners accept connections.
  // Throws std::runtime_error with the broker log on failure.
  MosquittoBroker();
  ~MosquittoBroker();  // stops the broker and removes its files
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  std::uint16_t plain_port() const { return plain_port_; }
  std::uint16_t tls_port() const { return tls_port_; }
  std::uint16_t mtls_port() const { return mtls_port_; }
  std::uint16_t auth_port() const { return auth_port_; }

  // SIGKILL and reap (clients see the connection drop without DISCONNECT handling on the broker side).
  void kill();
  // SIGSTOP / SIGCONT: the broker keeps its sockets but answers nothing (a silent, hung broker).
  void pause();
  void resume();
  // Starts again on the same ports.
  void restart();
  bool running() const { return pid_ > 0; }
  std::string log() const;

 private:
  void start();
  void stop(int signal);

  std::filesystem::path dir_;
  std::uint16_t plain_port_ = 0;
  std::uint16_t tls_port_ = 0;
  std::uint16_t mtls_port_ = 0;
  std::uint16_t auth_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace simdev::test
