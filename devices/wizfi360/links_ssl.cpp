// TLS links (CIPSTART "SSL", §5): the same link, messages and read loop as TCP, over a TLS stream.
#include <boost/asio/error.hpp>

#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

void Links::connect_ssl(int id, const net::HostPort& destination, int keepalive_s, const net::TlsOptions& tls,
                        std::function<void()> done) {
  // Refused, unreachable, handshake and verification failures all read `CONNECT FAIL`, reported as late as a
  // refused TCP connect; a name that does not resolve reads `DNS Fail`.
  auto fail = [this, id, done](bool dns) {
    module_.after(TimerSlot::command, timing_.connect_fail_delay, [this, id, done, dns] {
      if (dns) {
        module_.error("DNS Fail");
      } else {
        module_.send(prefix(id) + "CONNECT FAIL\r\n\r\nERROR\r\n");
      }
      done();
    });
  };
  if (!network_) return fail(false);
  net::ConnectOptions options;
  options.timeout = timing_.connect_timeout;
  options.keepalive_s = keepalive_s;
  pending_ = network_->connect_tls(
      destination, options, tls,
      [this, id, destination, keepalive_s, done, fail](const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> s) {
        pending_.reset();
        if (ec || !s) return fail(ec == boost::asio::error::host_not_found);
        Link& link = at(id);
        link = Link{};
        link.type = "SSL";
        link.stream = std::move(s);
        link.local_port = link.stream->local().port;
        link.remote = destination;
        link.keepalive_s = keepalive_s;
        ever_opened_ = true;
        module_.send(prefix(id) + "CONNECT\r\n\r\nOK\r\n");
        read_next(id);
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
