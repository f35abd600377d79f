#include "libsim/net/tls_context.hpp"

#include <stdexcept>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "libsim/net/host_port.hpp"

namespace simdev::net {

std::shared_ptr<boost::asio::ssl::context> make_client_tls_context(const TlsOptions& tls,
                                                                   const std::string& default_verify_name) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);

  boost::system::error_code ec;
  if (!tls.ca_pem.empty()) {
    context->add_certificate_authority(boost::asio::buffer(tls.ca_pem), ec);
    if (ec) throw std::invalid_argument("TLS CA certificate (PEM) unusable: " + ec.message());
  }
  if (!tls.cert_pem.empty() || !tls.key_pem.empty()) {
    if (tls.cert_pem.empty() || tls.key_pem.empty()) {
      throw std::invalid_argument("TLS client certificate and key must be given together");
    }
    context->use_certificate_chain(boost::asio::buffer(tls.cert_pem), ec);
    if (ec) throw std::invalid_argument("TLS client certificate (PEM) unusable: " + ec.message());
    context->use_private_key(boost::asio::buffer(tls.key_pem), ssl::context::pem, ec);
    if (ec) throw std::invalid_argument("TLS client key (PEM) unusable: " + ec.message());
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
      throw std::invalid_argument("TLS client key does not match the client certificate");
    }
  }

  if (!tls.verify_peer) {
    context->set_verify_mode(ssl::verify_none);
    return context;
  }
  context->set_verify_mode(ssl::verify_peer);
  if (tls.verify_host) {
    const std::string& name = tls.verify_name.empty() ? default_verify_name : tls.verify_name;
    X509_VERIFY_PARAM* param = SSL_CTX_get0_param(context->native_handle());
    const int ok = is_ip_literal(name) ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                                       : X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
    if (ok != 1) throw std::invalid_argument("TLS verify name \"" + name + "\" unusable");
  }
  return context;
}

}  // namespace simdev::net
