// TCP echo peer for the data-mode round-trip benchmark.
// Usage: data_mode_echo listen:PORTFILE|connect:PORT
// Gets one TCP connection (accepting on an ephemeral port written to PORTFILE, or connecting to PORT), sets
// TCP_NODELAY, sends '!' every 50 ms until data arrives so the serial side knows the path is up, then echoes
// every byte until EOF.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
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
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s listen:PORTFILE|connect:PORT\n", argv[0]);
    return 2;
  }
  int fd = get_connection(argv[1]);
  if (fd < 0) {
    std::perror("echo: connection");
    return 1;
  }
  int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  // Repeat the go byte until data flows: the serial side may open its tty after the first one was dropped.
  pollfd ready{fd, POLLIN, 0};
  while (poll(&ready, 1, 50) == 0)
    if (send(fd, "!", 1, 0) != 1) return 1;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return 0;
    if (send(fd, buf, static_cast<size_t>(n), 0) != n) return 1;
  }
}
