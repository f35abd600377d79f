// Serial-side writer for the data-mode throughput benchmark.
// Usage: data_mode_writer TTY BYTES CHUNK
// Opens the tty raw, waits (10 s at most) for the sink's '!' to come back through the bridge, then writes BYTES
// of printable data in CHUNK-sized writes (a '\n' every 64 bytes would expose any newline translation), and
// waits for the sink's final '.' before closing.
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s TTY BYTES CHUNK\n", argv[0]);
    return 2;
  }
  int fd = open(argv[1], O_RDWR | O_NOCTTY);
  if (fd < 0) {
    std::perror("writer: open");
    return 1;
  }
  termios t{};
  tcgetattr(fd, &t);
  cfmakeraw(&t);
  tcsetattr(fd, TCSANOW, &t);
  pollfd p{fd, POLLIN, 0};
  char go = 0;
  while (go != '!')  // bytes before it (a module's boot messages) are skipped
    if (poll(&p, 1, 10000) <= 0 || read(fd, &go, 1) != 1) {
      std::fprintf(stderr, "writer: no go byte from the sink\n");
      return 1;
    }
  const long long total = std::atoll(argv[2]);
  const std::size_t chunk = std::strtoul(argv[3], nullptr, 10);
  std::string block(chunk, 'a');
  for (std::size_t i = 0; i < chunk; ++i) block[i] = (i % 64 == 63) ? '\n' : static_cast<char>('a' + i % 26);
  long long sent = 0;
  while (sent < total) {
    std::size_t n = static_cast<std::size_t>(std::min<long long>(chunk, total - sent));
    ssize_t w = write(fd, block.data(), n);
    if (w <= 0) {
      std::perror("writer: write");
      return 1;
    }
    sent += w;
  }
  // Keep the tty open until the sink's '.' says it has everything: a pty drops unread input on last close.
  char done = '!';
  while (done == '!')  // late repeats of the go byte come first
    if (poll(&p, 1, 60000) <= 0 || read(fd, &done, 1) != 1) break;
  if (done != '.') {
    std::fprintf(stderr, "writer: no done byte from the sink\n");
    return 1;
  }
  return 0;
}
