#pragma once
// A device's window onto the host network (one per device, on the shared io_context).
//
// The device speaks in virtual terms (the addresses its firmware would use); VirtualNetwork rewrites them through
// NetConfig (address map for outbound, listen map for binds), does everything asynchronously, and reports every
// socket open/close/connect/accept through Tracer::event. Nothing here blocks the loop.
//
// Lifetime: the VirtualNetwork must outlive every stream, listener, socket, pending connect and mqtt::Client made
// from it. Destroying a PendingConnect (or calling cancel()) guarantees its handler is never invoked.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "libsim/net/byte_stream.hpp"
#include "libsim/net/connect_options.hpp"
#include "libsim/net/net_config.hpp"
#include "libsim/net/tcp_listener.hpp"
#include "libsim/net/tls_options.hpp"
#include "libsim/net/udp_socket.hpp"

namespace simdev::trace {
class Tracer;
}

namespace simdev::net {

// True when a bind failed because the endpoint is taken (the runtime maps this to exit code 3).
bool is_endpoint_in_use(const boost::system::error_code& ec);

// Handle for an outbound connect in flight. Destroying it or calling cancel() abandons the attempt silently.
class PendingConnect {
 public:
  virtual ~PendingConnect() = default;
  virtual void cancel() = 0;
};

class VirtualNetwork {
 public:
  // Addresses, IPv4 first. host_not_found when the name does not resolve.
  using ResolveHandler =
      std::function<void(const boost::system::error_code& ec, const std::vector<boost::asio::ip::address>& addresses)>;
  // On success ec is clear and stream is set; on failure stream is null (timeout: boost::asio::error::timed_out;
  // TLS failures carry the OpenSSL error category).
  using ConnectHandler = std::function<void(const boost::system::error_code& ec, std::unique_ptr<ByteStream> stream)>;

  VirtualNetwork(boost::asio::any_io_executor executor, NetConfig config, std::string device_name,
                 trace::Tracer& tracer, std::shared_ptr<spdlog::logger> log);
  ~VirtualNetwork();
  VirtualNetwork(const VirtualNetwork&) = delete;
  VirtualNetwork& operator=(const VirtualNetwork&) = delete;

  const NetConfig& config() const { return config_; }
  boost::asio::any_io_executor executor() const { return executor_; }

  // Name -> addresses: the address map's name rules first, an IP literal as is, then the host resolver (async).
  // The handler always runs later from the loop, never inside this call. Abandon with the returned handle.
  std::unique_ptr<PendingConnect> resolve(const std::string& name, ResolveHandler handler);

  // Destination rewrite only (no resolution).
  HostPort map_destination(const HostPort& virtual_destination) const { return config_.address_map.map(virtual_destination); }

  std::unique_ptr<PendingConnect> connect_tcp(const HostPort& virtual_destination, const ConnectOptions& options,
                                              ConnectHandler handler);
  std::unique_ptr<PendingConnect> connect_tls(const HostPort& virtual_destination, const ConnectOptions& options,
                                              const TlsOptions& tls, ConnectHandler handler);

  // Binds listen_host on host_port_for(device_port). Errors come back in ec (see is_endpoint_in_use); the
  // result is null then.
  std::unique_ptr<TcpListener> listen_tcp(std::uint16_t device_port, const ListenOptions& options,
                                          boost::system::error_code& ec);
  // Binds listen_host on host_port_for(device_local_port); device port 0 = ephemeral.
  std::unique_ptr<UdpSocket> open_udp(std::uint16_t device_local_port, boost::system::error_code& ec);

  // Open listeners and UDP sockets for READY/state:
  // [{"device_port":5000,"host":"127.0.0.1","port":5000,"proto":"tcp"}, {... "proto":"udp"}]
  nlohmann::json listeners() const;
  // Host endpoints a bind found already taken by another process ("tcp 127.0.0.1:5000 (device port 5000)").
  // The module cannot see this (it owns its ports), so the runtime reports it: exit 3 when found at start-up.
  const std::vector<std::string>& endpoints_in_use() const { return endpoints_in_use_; }

  // Used by the socket implementations (not by devices).
  struct Registration {
    std::uint16_t device_port;
    HostPort host;
    const char* proto;
  };
  std::uint64_t register_endpoint(Registration registration);
  void unregister_endpoint(std::uint64_t id);
  void trace_event(std::string_view event, const nlohmann::json& fields);
  spdlog::logger& log() { return *log_; }

 private:
  boost::asio::any_io_executor executor_;
  NetConfig config_;
  std::string device_name_;
  trace::Tracer& tracer_;
  std::shared_ptr<spdlog::logger> log_;
  std::uint64_t next_registration_ = 1;
  std::vector<std::pair<std::uint64_t, Registration>> endpoints_;
  std::vector<std::string> endpoints_in_use_;
  void note_bind_failure(const char* proto, std::uint16_t device_port, const boost::system::error_code& ec);
};

}  // namespace simdev::net
