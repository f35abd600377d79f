#pragma once
// Builds an OpenSSL client context from TlsOptions (PEM in memory). Shared by TLS streams and the MQTT client.
#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "libsim/net/tls_options.hpp"

namespace simdev::net {

// `default_verify_name` is used for host-name checks when tls.verify_name is empty (normally the virtual host the
// device asked for). Throws std::invalid_argument saying which PEM (ca/cert/key) could not be used.
std::shared_ptr<boost::asio::ssl::context> make_client_tls_context(const TlsOptions& tls,
                                                                   const std::string& default_verify_name);

}  // namespace simdev::net
