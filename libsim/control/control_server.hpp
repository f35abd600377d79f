#pragma once
// The control plane's listener: JSON lines over a unix socket (mode 0600) or TCP. Each connection may send
// any number of requests; a bad one gets {"ok":false,...} and the connection stays usable.
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <spdlog/logger.h>

#include "libsim/control/control_dispatcher.hpp"
#include "libsim/control/control_endpoint.hpp"

namespace simdev::control {

class ControlServer {
 public:
  ControlServer(boost::asio::any_io_executor ex, ControlEndpoint endpoint, ControlDispatcher& dispatcher,
                ControlTarget& target, std::shared_ptr<spdlog::logger> log);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Binds the endpoint. Throws serial::EndpointInUse when another process holds it, std::runtime_error otherwise.
  void open();
  void start();
  // Closes the listener and every connection; removes the socket file.
  void close();

  // The bound endpoint (a tcp port 0 is replaced by the real one).
  const ControlEndpoint& endpoint() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace simdev::control
