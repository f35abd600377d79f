#pragma once
// A real `openssl s_server` for tests: one TLS connection on a free loopback port, with the test's server
// certificate. What the client sends shows up on the server's stdout; what the test writes to its stdin goes to
// the client. Killed and reaped on destruction.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "tests/support/temp_dir.hpp"

namespace simdev::test {

class OpensslServer {
 public:
  // Starts the server and waits (with a deadline) until it accepts; throws std::runtime_error otherwise.
  OpensslServer();
  ~OpensslServer();
  OpensslServer(const OpensslServer&) = delete;
  OpensslServer& operator=(const OpensslServer&) = delete;

  std::uint16_t port() const { return port_; }
  // Reads the server's stdout until `text` appeared (or the deadline); true when it did.
  bool stdout_shows(std::string_view text, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Sends bytes to the connected client (s_server treats a line starting with a command letter such as q, Q, r
  // or R as a command: use other first characters).
  void send(std::string_view data);

 private:
  TempDir dir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::string seen_;
};

}  // namespace simdev::test
