// TLS links (CIPSTART "SSL", §5): the same link, messages and read loop as TCP, over a TLS stream.
#include <boost/asio/error.hpp>

#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

void Links::connect_ssl(int id, const net::HostPort& destination, int keepalive_s, const net::TlsOptions& tls,
                        std::function<void()> done) {
  if (!network_) return report_connect_failure(id, false, std::move(done));
  net::ConnectOptions options;
  options.timeout = timing_.connect_timeout;
  options.keepalive_s = keepalive_s;
  pending_ = network_->connect_tls(
      destination, options, tls,
      [this, id, destination, keepalive_s, done](const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> s) {
        pending_.reset();
        if (ec || !s) return report_connect_failure(id, ec == boost::asio::error::host_not_found, done);
        install_connected(id, "SSL", std::move(s), destination, keepalive_s);
        done();
      });
}

int Links::tls_sessions() const {
  int n = 0;
  for (const auto& link : links_)
    if (link.open() && (link.type == "SSL" || link.type == "MQTTS")) ++n;
  return n;
}

}  // namespace simdev::wizfi360
