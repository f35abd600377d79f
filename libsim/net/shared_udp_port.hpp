#pragma once
// UDP ports several devices of one process share, like modules on one LAN segment: every datagram that arrives
// is offered to every subscriber, and whatever a subscriber sends leaves from the shared socket. Subscribers that
// ask for the same bind text ("127.0.0.1:6550", or "127.0.0.1:0" for one ephemeral port) get the same socket.
// A port stays open until the registry is destroyed, so a device that reboots keeps the port number.
//
// Lifetime: the registry must outlive its subscriptions; destroying a Subscription guarantees its handler never
// runs again.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/error_code.hpp>
#include <spdlog/logger.h>

#include "libsim/net/host_port.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::net {

class SharedUdpPorts {
 public:
  // `source` is the sender's host endpoint; `data` is valid only during the call.
  using Handler = std::function<void(const HostPort& source, ByteView data)>;

  class Subscription {
   public:
    virtual ~Subscription() = default;
    // One datagram to a host endpoint (no address map: replies go back where requests came from).
    virtual void send_to(const HostPort& destination, Bytes data) = 0;
    virtual HostPort bound() const = 0;  // host address and real port
  };

  SharedUdpPorts(boost::asio::any_io_executor executor, std::shared_ptr<spdlog::logger> log);
  ~SharedUdpPorts();
  SharedUdpPorts(const SharedUdpPorts&) = delete;
  SharedUdpPorts& operator=(const SharedUdpPorts&) = delete;

  // Binds `bind` on first use (IP literal host). On failure ec is set and the result is null; a later call may
  // try again.
  std::unique_ptr<Subscription> subscribe(const HostPort& bind, Handler handler, boost::system::error_code& ec);

  class Port;

 private:
  boost::asio::any_io_executor executor_;
  std::shared_ptr<spdlog::logger> log_;
  std::map<std::string, std::shared_ptr<Port>> ports_;
};

}  // namespace simdev::net
