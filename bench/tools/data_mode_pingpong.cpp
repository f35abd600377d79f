// Serial-side 1-byte round trips for the data-mode latency benchmark.
// Usage: data_mode_pingpong TTY N
// Opens the tty raw (VMIN=1), waits for the echo peer's '!', does 200 untimed round trips, then N timed ones of
// write one byte / read one byte, and prints the median and p99 in microseconds.
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

static bool round_trip(int fd, char c) {
  if (write(fd, &c, 1) != 1) return false;
  pollfd p{fd, POLLIN, 0};
  char back = '!';
  while (back == '!')  // late repeats of the echo peer's go byte come first
    if (poll(&p, 1, 5000) <= 0 || read(fd, &back, 1) != 1) return false;
  return back == c;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s TTY N\n", argv[0]);
    return 2;
  }
  int fd = open(argv[1], O_RDWR | O_NOCTTY);
  if (fd < 0) {
    std::perror("pingpong: open");
    return 1;
  }
  termios t{};
  tcgetattr(fd, &t);
  cfmakeraw(&t);
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  tcsetattr(fd, TCSANOW, &t);
  pollfd p{fd, POLLIN, 0};
  char go = 0;
  while (go != '!')  // bytes before it (a module's boot messages) are skipped
    if (poll(&p, 1, 10000) <= 0 || read(fd, &go, 1) != 1) {
      std::fprintf(stderr, "pingpong: no go byte from the echo peer\n");
      return 1;
    }
  const int n = std::atoi(argv[2]);
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < 200 + n; ++i) {
    char c = static_cast<char>('a' + i % 26);  // never '+', so the trigger detector never holds a byte back
    auto t0 = std::chrono::steady_clock::now();
    if (!round_trip(fd, c)) {
      std::fprintf(stderr, "pingpong: round trip %d failed\n", i);
      return 1;
    }
    if (i >= 200) us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  std::printf("median %.1f us p99 %.1f us n %d\n", us[us.size() / 2], us[us.size() * 99 / 100], n);
  return 0;
}
