#pragma once
// Internal: one outbound TCP or TLS connect attempt (map -> resolve -> connect each address -> handshake),
// bounded by ConnectOptions::timeout and abandonable through the returned handle.
#include <memory>
#include <optional>

#include "libsim/net/virtual_network.hpp"

namespace simdev::net {

std::unique_ptr<PendingConnect> start_connect(VirtualNetwork& network, const HostPort& virtual_destination,
                                              const ConnectOptions& options, const std::optional<TlsOptions>& tls,
                                              VirtualNetwork::ConnectHandler handler);

}  // namespace simdev::net
