#include "libsim/net/virtual_network.hpp"

#include <algorithm>

#include <boost/asio/error.hpp>

#include "libsim/net/connect_op.hpp"
#include "libsim/net/host_resolve.hpp"
#include "libsim/net/tcp_listener_impl.hpp"
#include "libsim/trace/tracer.hpp"

namespace simdev::net {

bool is_endpoint_in_use(const boost::system::error_code& ec) {
  return ec == boost::asio::error::address_in_use;
}

VirtualNetwork::VirtualNetwork(boost::asio::any_io_executor executor, NetConfig config, std::string device_name,
                               trace::Tracer& tracer, std::shared_ptr<spdlog::logger> log)
    : executor_(std::move(executor)),
      config_(std::move(config)),
      device_name_(std::move(device_name)),
      tracer_(tracer),
      log_(std::move(log)) {}

VirtualNetwork::~VirtualNetwork() = default;

std::unique_ptr<PendingConnect> VirtualNetwork::resolve(const std::string& name, ResolveHandler handler) {
  const std::string target = is_ip_literal(name) ? name : config_.address_map.map_host(name).value_or(name);
  return resolve_on_host(executor_, target,
                         [this, name, handler = std::move(handler)](const boost::system::error_code& ec,
                                                                     const std::vector<boost::asio::ip::address>& addresses) {
                           nlohmann::json fields{{"name", name}, {"ok", !ec}};
                           if (!addresses.empty()) fields["address"] = addresses.front().to_string();
                           if (ec != boost::asio::error::operation_aborted) trace_event("resolve", fields);
                           handler(ec, addresses);
                         });
}

std::unique_ptr<PendingConnect> VirtualNetwork::connect_tcp(const HostPort& virtual_destination,
                                                            const ConnectOptions& options, ConnectHandler handler) {
  return start_connect(*this, virtual_destination, options, std::nullopt, std::move(handler));
}

std::unique_ptr<PendingConnect> VirtualNetwork::connect_tls(const HostPort& virtual_destination,
                                                            const ConnectOptions& options, const TlsOptions& tls,
                                                            ConnectHandler handler) {
  return start_connect(*this, virtual_destination, options, tls, std::move(handler));
}

std::unique_ptr<TcpListener> VirtualNetwork::listen_tcp(std::uint16_t device_port, const ListenOptions& options,
                                                        boost::system::error_code& ec) {
  auto listener = open_tcp_listener(*this, device_port, options, ec);
  if (ec) note_bind_failure("tcp", device_port, ec);
  return listener;
}

std::unique_ptr<UdpSocket> VirtualNetwork::open_udp(std::uint16_t device_local_port, boost::system::error_code& ec) {
  auto socket = open_udp_socket(*this, device_local_port, ec);
  if (ec) note_bind_failure("udp", device_local_port, ec);
  return socket;
}

void VirtualNetwork::note_bind_failure(const char* proto, std::uint16_t device_port,
                                       const boost::system::error_code& ec) {
  const std::string where = std::string(proto) + " " + config_.listen_host + ":" +
                            std::to_string(config_.host_port_for(device_port)) + " (device port " +
                            std::to_string(device_port) + ")";
  log_->warn("cannot bind {}: {}", where, ec.message());
  if (is_endpoint_in_use(ec)) endpoints_in_use_.push_back(where);
}

nlohmann::json VirtualNetwork::listeners() const {
  auto list = nlohmann::json::array();
  for (const auto& [id, r] : endpoints_) {
    list.push_back({{"device_port", r.device_port}, {"host", r.host.host}, {"port", r.host.port}, {"proto", r.proto}});
  }
  return list;
}

std::uint64_t VirtualNetwork::register_endpoint(Registration registration) {
  const auto id = next_registration_++;
  endpoints_.emplace_back(id, std::move(registration));
  return id;
}

void VirtualNetwork::unregister_endpoint(std::uint64_t id) {
  std::erase_if(endpoints_, [id](const auto& entry) { return entry.first == id; });
}

void VirtualNetwork::trace_event(std::string_view event, const nlohmann::json& fields) {
  tracer_.event(device_name_, event, fields);
  if (log_->should_log(spdlog::level::debug)) log_->debug("{} {}", event, fields.dump());
}

}  // namespace simdev::net
