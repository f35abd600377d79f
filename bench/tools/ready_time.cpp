// Startup latency probe: runs a command N times and reports how long each start took.
//   ready_time N ready  -- CMD ARGS...   time from fork to the "SIMDEV READY " line on its stdout
//   ready_time N exit   -- CMD ARGS...   time from fork to process exit (e.g. simdev --version)
//   ready_time N link:PATH -- CMD ARGS...  time from fork until PATH exists (e.g. socat PTY,link=PATH)
// Started processes are stopped with SIGTERM and reaped before the next run.
// Prints one line: "runs=N median_ms=.. p90_ms=.. min_ms=.. max_ms=..".
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

pid_t spawn(char** argv, int* stdout_read) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) std::exit(1);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    const int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, 0);
    dup2(null_fd, 2);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(fds[1]);
  *stdout_read = fds[0];
  return pid;
}

bool wait_ready_line(int fd) {
  std::string seen;
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) return false;
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    seen.append(buf, static_cast<std::size_t>(n));
    if (seen.find("SIMDEV READY ") != std::string::npos && seen.find('\n') != std::string::npos) return true;
  }
}

bool wait_path(const std::string& path) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  struct stat st {};
  while (lstat(path.c_str(), &st) != 0) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  return true;
}

void stop(pid_t pid) {
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5 || std::strcmp(argv[3], "--") != 0) {
    std::fprintf(stderr, "usage: %s N ready|exit|link:PATH -- CMD ARGS...\n", argv[0]);
    return 2;
  }
  const int runs = std::atoi(argv[1]);
  const std::string mode = argv[2];
  char** command = argv + 4;
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    int out = -1;
    const auto start = Clock::now();
    const pid_t pid = spawn(command, &out);
    bool ok = true;
    if (mode == "ready") {
      ok = wait_ready_line(out);
    } else if (mode == "exit") {
      int status = 0;
      waitpid(pid, &status, 0);
      ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    } else if (mode.rfind("link:", 0) == 0) {
      ok = wait_path(mode.substr(5));
    }
    const auto took = Clock::now() - start;
    if (mode != "exit") stop(pid);
    close(out);
    if (!ok) {
      std::fprintf(stderr, "run %d: command did not become ready\n", i);
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(took).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("runs=%d median_ms=%.2f p90_ms=%.2f min_ms=%.2f max_ms=%.2f\n", runs, ms[ms.size() / 2],
              ms[std::min(ms.size() - 1, ms.size() * 9 / 10)], ms.front(), ms.back());
  return 0;
}
