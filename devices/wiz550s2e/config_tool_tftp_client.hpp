#pragma once
// The bootloader's TFTP download (RFC 1350, octet mode, 512-byte blocks) over the device's VirtualNetwork: RRQ to
// the server's well-known port (rewritten by the address map like any destination), then DATA/ACK with the
// server's transfer port. A block that does not arrive in time makes it send its last packet again; after the
// configured retries, or on a TFTP ERROR, the download fails.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "libsim/net/host_port.hpp"
#include "libsim/net/udp_socket.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::net {
class VirtualNetwork;
}

namespace simdev::wiz550s2e::config_tool {

class TftpClient {
 public:
  struct Result {
    bool ok = false;
    std::string error;  // why it failed
    Bytes data;
  };
  using Done = std::function<void(Result)>;

  TftpClient(boost::asio::any_io_executor executor, net::VirtualNetwork& network, std::chrono::milliseconds timeout,
             int retries);
  ~TftpClient();
  TftpClient(const TftpClient&) = delete;
  TftpClient& operator=(const TftpClient&) = delete;

  // `done` runs once, later, from the loop (never after cancel() or destruction).
  void fetch(const net::HostPort& server, const std::string& file, Done done);
  void cancel();

 private:
  void send_last();
  void arm_timer();
  void on_datagram(const net::Datagram& d);
  void finish(bool ok, std::string error);

  boost::asio::any_io_executor executor_;
  net::VirtualNetwork& network_;
  std::chrono::milliseconds timeout_;
  int retries_;
  std::unique_ptr<net::UdpSocket> socket_;
  boost::asio::steady_timer timer_;
  net::HostPort server_;                // RRQ destination (virtual, mapped by the network)
  std::optional<net::HostPort> peer_;  // the server's transfer endpoint (host), fixed by the first DATA
  Bytes last_packet_;
  std::uint16_t expected_block_ = 1;
  int attempts_ = 0;
  Bytes data_;
  Done done_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simdev::wiz550s2e::config_tool
