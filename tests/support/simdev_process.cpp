#include "tests/support/simdev_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/temp_dir.hpp"
#include "tests/support/wait.hpp"

extern char** environ;

namespace simdev::test {
namespace {

constexpr const char* kReadyPrefix = "SIMDEV READY ";

std::optional<int> decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return -1;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::optional<nlohmann::json> parse_ready_line(const std::string& line) {
  std::string text = line;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.rfind(kReadyPrefix, 0) != 0) return std::nullopt;
  auto j = nlohmann::json::parse(text.substr(std::strlen(kReadyPrefix)), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

SimdevProcess::SimdevProcess(std::vector<std::string> args, std::filesystem::path workdir,
                             std::vector<std::string> env, std::string binary) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/simdev-stderr-XXXXXX";
  const int err_fd = ::mkstemp(pattern.data());
  if (err_fd < 0) throw std::runtime_error("mkstemp failed");
  stderr_path_ = pattern;

  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");

  std::vector<std::string> argv_strings{binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  auto argv = c_strings(argv_strings);
  auto envp = c_strings(env_strings);
  const std::string dir = workdir.string();

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Child: only async-signal-safe calls until exec.
    ::setpgid(0, 0);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_fd, 2);
    // The test's own sockets (listeners of peers it plays) must not live on in simdev: closing them in the
    // test has to close them for real.
    ::close_range(3, ~0U, 0);
    if (!dir.empty() && ::chdir(dir.c_str()) != 0) ::_exit(127);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_fd);
  stdout_fd_ = out_pipe[0];
}

SimdevProcess::~SimdevProcess() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  std::error_code ec;
  std::filesystem::remove(stderr_path_, ec);
}

void SimdevProcess::drain_stdout(int timeout_ms) {
  if (stdout_fd_ < 0) return;
  pollfd p{stdout_fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return;
  char buf[4096];
  const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
  if (n > 0) {
    stdout_.append(buf, static_cast<std::size_t>(n));
  } else if (n == 0) {
    ::close(stdout_fd_);
    stdout_fd_ = -1;
  }
}

std::optional<nlohmann::json> SimdevProcess::wait_ready(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::istringstream lines(stdout_);
    std::string line;
    while (std::getline(lines, line)) {
      if (lines.eof()) break;  // an unterminated last line may still be growing
      if (auto j = parse_ready_line(line)) {
        ready_ = *j;
        return j;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || stdout_fd_ < 0) return std::nullopt;
    drain_stdout(static_cast<int>(std::min<long>(left.count(), 50)));
    if (stdout_fd_ < 0 && !running()) {
      // Process gone: one last look at what it printed.
      std::istringstream rest(stdout_);
      while (std::getline(rest, line)) {
        if (auto j = parse_ready_line(line)) {
          ready_ = *j;
          return j;
        }
      }
      return std::nullopt;
    }
  }
}

std::string SimdevProcess::pty_link(std::size_t index) const {
  return ready_["devices"][index]["serial"].value("link", std::string());
}

std::uint16_t SimdevProcess::tcp_port(std::size_t index) const {
  return ready_["devices"][index]["serial"].value("port", std::uint16_t{0});
}

std::string SimdevProcess::control() const {
  const auto& c = ready_["control"];
  return c.is_string() ? c.get<std::string>() : std::string();
}

bool SimdevProcess::running() {
  if (exit_code_) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = decode_status(status);
    return false;
  }
  return true;
}

void SimdevProcess::signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

std::optional<int> SimdevProcess::wait_exit(std::chrono::milliseconds timeout) {
  wait_until([this] { return !running(); }, timeout, std::chrono::milliseconds(1));
  if (!exit_code_) return std::nullopt;
  while (stdout_fd_ >= 0) drain_stdout(0);  // keep what it printed last
  return exit_code_;
}

std::optional<int> SimdevProcess::terminate(std::chrono::milliseconds timeout) {
  signal(SIGTERM);
  return wait_exit(timeout);
}

std::string SimdevProcess::stderr_text() const { return read_file(stderr_path_); }

std::chrono::milliseconds SimdevProcess::cpu_time() const {
  const std::string stat = read_file("/proc/" + std::to_string(pid_) + "/stat");
  const auto close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return std::chrono::milliseconds(0);
  std::istringstream fields(stat.substr(close_paren + 2));
  std::string field;
  long utime = 0;
  long stime = 0;
  // After "pid (comm) ", field 3 (state) is index 0; utime is field 14, stime field 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  const long ticks_per_second = ::sysconf(_SC_CLK_TCK);
  return std::chrono::milliseconds((utime + stime) * 1000 / ticks_per_second);
}

ProcessResult run_simdev(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                         std::filesystem::path workdir) {
  SimdevProcess p(args, std::move(workdir));
  ProcessResult r;
  r.exit_code = p.wait_exit(timeout).value_or(-1);  // outputs here are small: the stdout pipe never fills
  r.out = p.stdout_text();
  r.err = p.stderr_text();
  return r;
}

}  // namespace simdev::test
