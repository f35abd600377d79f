// TLS links (placeholder until the SSL family lands).
#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

void Links::connect_ssl(int id, const net::HostPort&, int, const net::TlsOptions&, std::function<void()> done) {
  module_.send(prefix(id) + "CONNECT FAIL\r\n\r\nERROR\r\n");
  done();
}

int Links::tls_sessions() const {
  int n = 0;
  for (const auto& link : links_)
    if (link.open() && (link.type == "SSL" || link.type == "MQTTS")) ++n;
  return n;
}

}  // namespace simdev::wizfi360
