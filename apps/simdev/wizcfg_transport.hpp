#pragma once
// The `simdev wizcfg` side of UDP: one blocking socket on an ephemeral port that sends a request to the target
// and collects the replies that arrive before a deadline. (A command-line client, not device code: blocking is
// fine here.)
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "libsim/util/bytes.hpp"

namespace simdev::apps::wizcfg {

class Transport {
 public:
  // `target` is "HOST:PORT" (an IP address or a resolvable name). Throws std::invalid_argument naming --target,
  // std::runtime_error when no socket can be opened.
  explicit Transport(const std::string& target);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  void send(const Bytes& datagram);
  // Calls `on_reply` for each datagram until it returns true (done) or `timeout` passes. Returns true when done.
  bool receive(std::chrono::milliseconds timeout, const std::function<bool(ByteView)>& on_reply);

 private:
  int fd_ = -1;
  std::string target_text_;
  struct Address;
  std::unique_ptr<Address> address_;
};

}  // namespace simdev::apps::wizcfg
