#include "tests/support/certs_authority.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace simdev::test {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

int run_program(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TestCerts::TestCerts() {
  char pattern[] = "/tmp/simdev-certs-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  const auto log = dir_ / "openssl.log";
  auto p = [&](const char* name) { return (dir_ / name).string(); };
  auto run = [&](std::vector<std::string> argv) {
    if (run_program(argv, log) != 0) throw std::runtime_error("openssl failed; see " + log.string());
  };
  const std::vector<std::string> ec_key{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
  auto request = [&](const char* key, const char* out, const char* subject, bool self_signed) {
    std::vector<std::string> argv{"openssl", "req"};
    if (self_signed) argv.insert(argv.end(), {"-x509", "-days", "30"});
    argv.insert(argv.end(), ec_key.begin(), ec_key.end());
    argv.insert(argv.end(), {"-keyout", p(key), "-out", p(out), "-subj", subject});
    run(argv);
  };
  auto sign = [&](const char* csr, const char* ext, const char* out) {
    run({"openssl", "x509", "-req", "-in", p(csr), "-CA", p("ca.crt"), "-CAkey", p("ca.key"), "-CAcreateserial",
         "-out", p(out), "-days", "30", "-extfile", p(ext)});
  };

  request("ca.key", "ca.crt", "/CN=simdev-test-ca", true);
  request("other-ca.key", "other-ca.crt", "/CN=simdev-other-ca", true);
  request("server.key", "server.csr", "/CN=localhost", false);
  write_file(dir_ / "server.ext",
             "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
  sign("server.csr", "server.ext", "server.crt");
  // The client key is RSA in PKCS#1 form: AT+AWSPKSEND takes only `BEGIN RSA PRIVATE KEY` (spec §5).
  run({"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("client.pkcs8.key"), "-out", p("client.csr"),
       "-subj", "/CN=simdev-client"});
  run({"openssl", "rsa", "-in", p("client.pkcs8.key"), "-traditional", "-out", p("client.key")});
  write_file(dir_ / "client.ext", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
  sign("client.csr", "client.ext", "client.crt");

  ca_pem = read_file(ca_file());
  server_cert_pem = read_file(server_cert_file());
  server_key_pem = read_file(server_key_file());
  client_cert_pem = read_file(client_cert_file());
  client_key_pem = read_file(client_key_file());
  other_ca_pem = read_file(dir_ / "other-ca.crt");
}

TestCerts::~TestCerts() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

const TestCerts& TestCerts::shared() {
  static TestCerts certs;
  return certs;
}

}  // namespace simdev::test
