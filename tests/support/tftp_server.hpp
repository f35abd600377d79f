#pragma once
// A small TFTP server (RFC 1350, read requests only, octet mode) for tests: it serves files from memory on a
// loopback port of its own, in a background thread, one transfer at a time. Debian's tftpd-hpa is not installed
// by the project's scripts, and this keeps the test self-contained.
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "libsim/util/bytes.hpp"

namespace simdev::test {

class TftpServer {
 public:
  TftpServer();  // binds 127.0.0.1 on an ephemeral port
  ~TftpServer();
  TftpServer(const TftpServer&) = delete;
  TftpServer& operator=(const TftpServer&) = delete;

  std::uint16_t port() const { return port_; }
  void add_file(const std::string& name, Bytes content);
  // After sending this many DATA blocks of a transfer the server stops answering it (a download that dies).
  void stall_after_blocks(int blocks) { stall_after_ = blocks; }
  // Read requests seen so far, in order.
  std::vector<std::string> requests() const;
  // Transfers whose last block was acknowledged.
  int completed() const { return completed_; }

 private:
  void run();
  void serve(const std::string& file, const void* client, unsigned client_length);

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> stall_after_{-1};
  std::atomic<int> completed_{0};
  mutable std::mutex mutex_;
  std::map<std::string, Bytes> files_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace simdev::test
