#pragma once
// Runs the real simdev binary for integration/e2e tests: spawn with arguments, wait for the
// `SIMDEV READY {json}` line on its stdout with a deadline, signal it, collect its exit code and stderr.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace simdev::test {

using namespace std::chrono_literals;

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal or still running at the deadline
  std::string out;
  std::string err;
};

class SimdevProcess {
 public:
  // Starts SIMDEV_BINARY (or `binary`) with `args` in `workdir` (default: current directory).
  // `env` entries "NAME=value" are added to the inherited environment.
  explicit SimdevProcess(std::vector<std::string> args, std::filesystem::path workdir = {},
                         std::vector<std::string> env = {}, std::string binary = SIMDEV_BINARY);
  ~SimdevProcess();  // SIGKILLs a process that is still running
  SimdevProcess(const SimdevProcess&) = delete;
  SimdevProcess& operator=(const SimdevProcess&) = delete;

  // Reads stdout until the READY line; returns its JSON, or nullopt when the process exits or the
  // deadline passes first (stderr_text() then usually says why).
  std::optional<nlohmann::json> wait_ready(std::chrono::milliseconds timeout = 10s);
  // Convenience accessors on the READY json (valid after wait_ready succeeded).
  const nlohmann::json& ready() const { return ready_; }
  const nlohmann::json& device(std::size_t index = 0) const { return ready_["devices"][index]; }
  std::string pty_link(std::size_t index = 0) const;   // the pty's symlink path
  std::uint16_t tcp_port(std::size_t index = 0) const; // the tcp serial port
  std::string control() const;                        // control endpoint spec from READY

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);
  // Waits for exit; returns the exit code, or nullopt on timeout (the process keeps running).
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = 10s);
  // SIGTERM + wait_exit.
  std::optional<int> terminate(std::chrono::milliseconds timeout = 10s);

  std::string stdout_text() const { return stdout_; }
  std::string stderr_text() const;
  // CPU time (user + system) the process has used so far, from /proc/<pid>/stat.
  std::chrono::milliseconds cpu_time() const;

 private:
  void drain_stdout(int timeout_ms);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::filesystem::path stderr_path_;
  std::string stdout_;
  nlohmann::json ready_;
  std::optional<int> exit_code_;
};

// Runs simdev to completion (for --version, bad flags, `simdev ctl`...). Kills it at the deadline.
ProcessResult run_simdev(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 10s,
                         std::filesystem::path workdir = {});

// Parses "SIMDEV READY {json}" (with or without the newline); nullopt for any other line.
std::optional<nlohmann::json> parse_ready_line(const std::string& line);

}  // namespace simdev::test
