#pragma once
// Internal: asynchronous name -> addresses through the host resolver, cancellable, IPv4 first.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/address.hpp>

#include "libsim/net/virtual_network.hpp"

namespace simdev::net {

// Resolves `host` without consulting the address map (IP literals complete at once, still asynchronously).
std::unique_ptr<PendingConnect> resolve_on_host(boost::asio::any_io_executor executor, const std::string& host,
                                                VirtualNetwork::ResolveHandler handler);

}  // namespace simdev::net
