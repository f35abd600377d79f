#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <gtest/gtest.h>

#include "tests/support/certs_authority.hpp"
#include "tests/unit/net_test_loop.hpp"

namespace simdev::test {
namespace {

namespace ssl = boost::asio::ssl;
using boost::asio::ip::tcp;

// An asio TLS echo server on the loop, with the shared test certificates.
class TlsEchoServer {
 public:
  TlsEchoServer(boost::asio::io_context& io, bool require_client_cert)
      : context_(ssl::context::tls_server), acceptor_(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)) {
    const auto& certs = TestCerts::shared();
    context_.use_certificate_chain(boost::asio::buffer(certs.server_cert_pem));
    context_.use_private_key(boost::asio::buffer(certs.server_key_pem), ssl::context::pem);
    if (require_client_cert) {
      context_.add_certificate_authority(boost::asio::buffer(certs.ca_pem));
      context_.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
    accept();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  bool handshake_done = false;
  boost::system::error_code handshake_error;
  std::string sni;
  std::string client_cn;

 private:
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      stream_ = std::make_unique<ssl::stream<tcp::socket>>(std::move(socket), context_);
      stream_->async_handshake(ssl::stream_base::server, [this](boost::system::error_code ec) {
        handshake_done = true;
        handshake_error = ec;
        if (ec) return;
        if (const char* name = SSL_get_servername(stream_->native_handle(), TLSEXT_NAMETYPE_host_name)) sni = name;
        if (X509* peer = SSL_get1_peer_certificate(stream_->native_handle())) {
          char cn[256] = {};
          X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
          client_cn = cn;
          X509_free(peer);
        }
        echo();
      });
    });
  }
  void echo() {
    stream_->async_read_some(boost::asio::buffer(buffer_), [this](boost::system::error_code ec, std::size_t n) {
      if (ec) return;
      boost::asio::async_write(*stream_, boost::asio::buffer(buffer_.data(), n),
                               [this](boost::system::error_code ec, std::size_t) {
                                 if (!ec) echo();
                               });
    });
  }

  ssl::context context_;
  tcp::acceptor acceptor_;
  std::unique_ptr<ssl::stream<tcp::socket>> stream_;
  std::array<char, 4096> buffer_{};
};

class NetTls : public NetTest {
 protected:
  struct Connected {
    bool done = false;
    boost::system::error_code ec;
    std::unique_ptr<net::ByteStream> stream;
  };
  Connected connect(const TlsEchoServer& server, const net::TlsOptions& tls, const std::string& host = "localhost") {
    auto network = make_network({{"address_map", {{host, "127.0.0.1:" + std::to_string(server.port())}}}});
    Connected c;
    auto pending = network->connect_tls({host, 443}, {}, tls, [&](const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> s) {
      c.done = true;
      c.ec = ec;
      c.stream = std::move(s);
    });
    run_until(io, [&] { return c.done; });
    networks_.push_back(std::move(network));
    return c;
  }
  static net::TlsOptions verifying() {
    net::TlsOptions tls;
    tls.verify_peer = true;
    tls.verify_host = true;
    tls.ca_pem = TestCerts::shared().ca_pem;
    return tls;
  }
  std::string echo(net::ByteStream& stream, const std::string& text) {
    std::string got;
    stream.async_write(Bytes(text.begin(), text.end()));
    stream.async_read_some([&](const boost::system::error_code&, ByteView data) { got = as_string(data); });
    run_until(io, [&] { return !got.empty(); });
    return got;
  }

  std::vector<std::unique_ptr<net::VirtualNetwork>> networks_;
};

TEST_F(NetTls, HandshakeWithoutVerificationCarriesData) {
  TlsEchoServer server(io, false);
  auto c = connect(server, {});
  ASSERT_FALSE(c.ec) << c.ec.message();
  EXPECT_TRUE(c.stream->is_tls());
  EXPECT_EQ(echo(*c.stream, "secret\r\n"), "secret\r\n");
}

TEST_F(NetTls, VerifiesServerAgainstTrustedCa) {
  TlsEchoServer server(io, false);
  auto c = connect(server, verifying());
  ASSERT_FALSE(c.ec) << c.ec.message();
  EXPECT_EQ(echo(*c.stream, "x"), "x");
}

TEST_F(NetTls, WrongCaFailsTheHandshake) {
  TlsEchoServer server(io, false);
  auto tls = verifying();
  tls.ca_pem = TestCerts::shared().other_ca_pem;
  auto c = connect(server, tls);
  ASSERT_TRUE(c.done);
  EXPECT_TRUE(c.ec);
  EXPECT_EQ(c.ec.category(), boost::asio::error::get_ssl_category());
  EXPECT_EQ(c.stream, nullptr);
}

TEST_F(NetTls, HostNameMismatchFails) {
  TlsEchoServer server(io, false);
  auto c = connect(server, verifying(), "broker.example");  // certificate is for localhost
  ASSERT_TRUE(c.done);
  EXPECT_TRUE(c.ec);
}

TEST_F(NetTls, ExplicitVerifyNameOverridesVirtualHost) {
  TlsEchoServer server(io, false);
  auto tls = verifying();
  tls.verify_name = "localhost";
  auto c = connect(server, tls, "broker.example");
  EXPECT_FALSE(c.ec) << c.ec.message();
}

TEST_F(NetTls, SendsVirtualHostAsSni) {
  TlsEchoServer server(io, false);
  auto c = connect(server, {}, "broker.example");
  ASSERT_FALSE(c.ec);
  ASSERT_TRUE(run_until(io, [&] { return server.handshake_done; }));
  EXPECT_EQ(server.sni, "broker.example");
}

TEST_F(NetTls, PresentsClientCertificateForMutualTls) {
  TlsEchoServer server(io, true);
  auto tls = verifying();
  tls.cert_pem = TestCerts::shared().client_cert_pem;
  tls.key_pem = TestCerts::shared().client_key_pem;
  auto c = connect(server, tls);
  ASSERT_FALSE(c.ec) << c.ec.message();
  EXPECT_EQ(echo(*c.stream, "m"), "m");
  EXPECT_EQ(server.client_cn, "simdev-client");
}

TEST_F(NetTls, MutualTlsWithoutClientCertificateIsRejected) {
  TlsEchoServer server(io, true);
  auto c = connect(server, verifying());
  // TLS 1.3: the client may finish its handshake before the server's rejection arrives; then the first read fails.
  if (!c.ec) {
    boost::system::error_code read_ec;
    bool done = false;
    c.stream->async_read_some([&](const boost::system::error_code& ec, ByteView) { read_ec = ec, done = true; });
    ASSERT_TRUE(run_until(io, [&] { return done; }));
    EXPECT_TRUE(read_ec);
  }
  ASSERT_TRUE(run_until(io, [&] { return server.handshake_done; }));
  EXPECT_TRUE(server.handshake_error);
}

TEST_F(NetTls, UnusablePemIsReportedAsInvalidArgument) {
  TlsEchoServer server(io, false);
  auto tls = verifying();
  tls.ca_pem = "not a certificate";
  auto c = connect(server, tls);
  EXPECT_EQ(c.ec, boost::asio::error::invalid_argument);
}

}  // namespace
}  // namespace simdev::test
