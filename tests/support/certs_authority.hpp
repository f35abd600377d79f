#pragma once
// Throwaway PKI for TLS tests, made with the openssl CLI in a private temp dir: a CA, a server certificate for
// "localhost"/127.0.0.1 and a client certificate signed by it, plus an unrelated CA for "wrong CA" cases.
// Files and PEM text are both available (mosquitto wants files; simdev takes PEM in memory).
#include <filesystem>
#include <string>
#include <vector>

namespace simdev::test {

class TestCerts {
 public:
  // Generates everything (~50 ms); throws std::runtime_error if openssl fails.
  TestCerts();
  ~TestCerts();
  TestCerts(const TestCerts&) = delete;
  TestCerts& operator=(const TestCerts&) = delete;

  // One shared instance per test binary (generated on first use, removed at exit).
  static const TestCerts& shared();

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path ca_file() const { return dir_ / "ca.crt"; }
  std::filesystem::path server_cert_file() const { return dir_ / "server.crt"; }
  std::filesystem::path server_key_file() const { return dir_ / "server.key"; }
  std::filesystem::path client_cert_file() const { return dir_ / "client.crt"; }
  std::filesystem::path client_key_file() const { return dir_ / "client.key"; }

  std::string ca_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string other_ca_pem;  // a CA that signed none of the above

 private:
  std::filesystem::path dir_;
};

// Runs a program (argv[0] looked up in PATH) with stdout/stderr appended to `log`, waits, returns the exit status.
int run_program(const std::vector<std::string>& argv, const std::filesystem::path& log);

}  // namespace simdev::test
