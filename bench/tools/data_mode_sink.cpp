// TCP sink for the data-mode throughput benchmark.
// Usage: data_mode_sink listen:PORTFILE|connect:PORT BYTES
// Gets one TCP connection (accepting on an ephemeral port written to PORTFILE, or connecting to PORT), sends '!'
// every 50 ms until data arrives so the serial writer knows the path is up, then reads BYTES, prints the rate
// from first to last byte and sends '.' so the writer may close its tty.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

static int get_connection(const std::string& spec) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (spec.rfind("connect:", 0) == 0) {
    a.sin_port = htons(static_cast<uint16_t>(std::stoi(spec.substr(8))));
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return -1;
    return fd;
  }
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, 1) != 0) return -1;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  std::ofstream(spec.substr(7) + ".tmp") << ntohs(a.sin_port) << "\n";
  std::rename((spec.substr(7) + ".tmp").c_str(), spec.substr(7).c_str());
  int c = accept(fd, nullptr, nullptr);
  close(fd);
  return c;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s listen:PORTFILE|connect:PORT BYTES\n", argv[0]);
    return 2;
  }
  const long long want = std::atoll(argv[2]);
  int fd = get_connection(argv[1]);
  if (fd < 0) {
    std::perror("sink: connection");
    return 1;
  }
  // Repeat the go byte until data flows: the serial side may open its tty after the first one was dropped.
  pollfd ready{fd, POLLIN, 0};
  while (poll(&ready, 1, 50) == 0)
    if (send(fd, "!", 1, 0) != 1) return 1;
  static char buf[1 << 16];
  long long got = 0;
  std::chrono::steady_clock::time_point first, last;
  while (got < want) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    if (got == 0) first = std::chrono::steady_clock::now();
    got += n;
    last = std::chrono::steady_clock::now();
  }
  if (send(fd, ".", 1, 0) != 1) return 1;
  double s = std::chrono::duration<double>(last - first).count();
  std::printf("%lld bytes %.3f s %.1f MB/s\n", got, s, s > 0 ? got / s / 1e6 : 0.0);
  return got == want ? 0 : 1;
}
