#include "devices/wizfi360/tls_material.hpp"

#include "libsim/net/host_port.hpp"

namespace simdev::wizfi360 {

net::TlsOptions tls_options_for(const Settings& settings, const std::string& host, TlsForce force) {
  net::TlsOptions tls;
  if (!net::is_ip_literal(host)) tls.sni = host;
  if (force.verify_server || (settings.ssl_cconf & kSslVerifyServer) != 0) {
    tls.verify_peer = true;
    tls.ca_pem = settings.ca_pem;
  }
  const bool client = force.client_certificate || (settings.ssl_cconf & kSslClientCertificate) != 0;
  if (client && !settings.client_cert_pem.empty() && !settings.client_key_pem.empty()) {
    tls.cert_pem = settings.client_cert_pem;
    tls.key_pem = settings.client_key_pem;
  }
  return tls;
}

}  // namespace simdev::wizfi360
