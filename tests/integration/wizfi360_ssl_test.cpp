// WizFi360 SSL links and certificates through the real binary and a real pty (§2.3 SSL rows, §5), against a TLS
// server the test runs itself with boost::asio::ssl on 127.0.0.1. "secure.example" reaches it through
// network.address_map. The server lives on the test's io_context, which the test drives while the module connects.
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include "tests/integration/simdev_fixture.hpp"
#include "tests/integration/wizfi360_pem_upload.hpp"
#include "tests/support/certs_authority.hpp"
#include "tests/support/openssl_server.hpp"

namespace simdev::test {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kBootBanner = "\xFC\r\nready\r\n";

struct ServerOptions {
  bool require_client_certificate = false;
  bool tls12_only = false;  // TLS 1.2: the client learns of a rejected client certificate inside the handshake
};

class WizFi360Ssl : public SimdevFixture {
 protected:
  // Starts the module (SoftAP mode, so it has an IP without joining) with "secure.example" mapped to the test's
  // TLS server and "refused.example" to a port nobody listens on; echo off.
  SerialClient start_module(ServerOptions server = {}) {
    const auto& certs = TestCerts::shared();
    server_context_.use_certificate_chain(asio::buffer(certs.server_cert_pem));
    server_context_.use_private_key(asio::buffer(certs.server_key_pem), ssl::context::pem);
    if (server.require_client_certificate) {
      server_context_.add_certificate_authority(asio::buffer(certs.ca_pem));
      server_context_.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
    if (server.tls12_only) SSL_CTX_set_max_proto_version(server_context_.native_handle(), TLS1_2_VERSION);
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    const std::string peer = "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
    const nlohmann::json map = {{"secure.example", peer},
                                {"refused.example", "127.0.0.1:" + std::to_string(free_tcp_port())}};
    start_wizfi360({"--set", "tcpip.connect_fail_delay_ms=10", "--set", "network.address_map=" + map.dump()});
    auto c = SerialClient::open_pty(process_->pty_link());
    EXPECT_EQ(attach_and_reboot(c, "wizfi360", "ready\r\n"), kBootBanner);
    EXPECT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
    return c;
  }

  static std::string ask(SerialClient& c, std::string_view line, std::string_view end = "OK\r\n") {
    c.write(line);
    return c.read_until(end);
  }

  // Drives the test's io_context until `done` holds or five seconds pass.
  bool run_until(const std::function<bool()>& done) {
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    io_.restart();
    while (!done() && Clock::now() < deadline) io_.run_one_for(deadline - Clock::now());
    return done();
  }

  // Accepts the module's next connection and runs the server side of the handshake (driven by run_until).
  void expect_connection() {
    server_ = std::make_unique<ssl::stream<tcp::socket>>(io_, server_context_);
    handshake_done_ = false;
    handshake_error_ = {};
    acceptor_.async_accept(server_->lowest_layer(), [this](boost::system::error_code ec) {
      if (ec) {
        handshake_error_ = ec;
        handshake_done_ = true;
        return;
      }
      server_->async_handshake(ssl::stream_base::server, [this](boost::system::error_code error) {
        handshake_error_ = error;
        handshake_done_ = true;
      });
    });
  }

  // CIPSTART with the server answering the handshake; returns what the module printed.
  std::string connect(SerialClient& c, std::string_view cipstart) {
    expect_connection();
    c.write(cipstart);
    EXPECT_TRUE(run_until([this] { return handshake_done_; }));
    std::string reply = c.read_until("\r\n\r\n");  // two statements: + leaves the order open
    return reply + c.read_until("\r\n");
  }

  std::string server_read(std::size_t n) {
    std::string data(n, '\0');
    bool done = false;
    asio::async_read(*server_, asio::buffer(data), [&](const boost::system::error_code&, std::size_t got) {
      data.resize(got);
      done = true;
    });
    EXPECT_TRUE(run_until([&] { return done; }));
    return data;
  }

  void server_write(std::string_view data) {
    bool done = false;
    asio::async_write(*server_, asio::buffer(data), [&](const boost::system::error_code&, std::size_t) { done = true; });
    EXPECT_TRUE(run_until([&] { return done; }));
  }

  // True when the module's side ends the TLS stream (close_notify or a closed socket).
  bool server_sees_end() {
    char byte = 0;
    boost::system::error_code result;
    bool done = false;
    server_->async_read_some(asio::buffer(&byte, 1), [&](const boost::system::error_code& ec, std::size_t) {
      result = ec;
      done = true;
    });
    return run_until([&] { return done; }) && result;
  }

  std::string server_sni() const {
    const char* name = SSL_get_servername(server_->native_handle(), TLSEXT_NAMETYPE_host_name);
    return name ? name : "";
  }

  std::string client_certificate_subject() const {
    X509* cert = SSL_get1_peer_certificate(server_->native_handle());
    if (!cert) return "";
    char buffer[256] = {};
    X509_NAME_oneline(X509_get_subject_name(cert), buffer, sizeof buffer);
    X509_free(cert);
    return buffer;
  }

  std::uint16_t module_port() const { return server_->lowest_layer().remote_endpoint().port(); }

  asio::io_context io_;
  ssl::context server_context_{ssl::context::tls_server};
  tcp::acceptor acceptor_{io_};
  std::unique_ptr<ssl::stream<tcp::socket>> server_;
  bool handshake_done_ = false;
  boost::system::error_code handshake_error_;
};

TEST_F(WizFi360Ssl, CipstartSslConnects) {
  auto c = start_module();
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_FALSE(handshake_error_) << handshake_error_.message();
}

TEST_F(WizFi360Ssl, CipstatusShowsSslLink) {
  auto c = start_module();
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443,30\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:3\r\n+CIPSTATUS:0,\"SSL\",\"127.0.0.1\",443," +
                                            std::to_string(module_port()) + ",0\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Ssl, HandshakeSendsHostNameAsSni) {
  auto c = start_module();
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(server_sni(), "secure.example");
}

TEST_F(WizFi360Ssl, CipsendReachesServer) {
  auto c = start_module();
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSEND=5\r\n", "> "), "\r\nOK\r\n> ");
  c.write("hello");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 5 bytes\r\n\r\nSEND OK\r\n");
  EXPECT_EQ(server_read(5), "hello");
}

TEST_F(WizFi360Ssl, ServerDataArrivesAsIpd) {
  auto c = start_module();
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  server_write("world");
  EXPECT_EQ(c.read_until("world"), "\r\n+IPD,5:world");
}

TEST_F(WizFi360Ssl, MultiModeIpdCarriesLinkId) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(connect(c, "AT+CIPSTART=2,\"SSL\",\"secure.example\",443\r\n"), "2,CONNECT\r\n\r\nOK\r\n");
  server_write("abc");
  EXPECT_EQ(c.read_until("abc"), "\r\n+IPD,2,3:abc");
}

TEST_F(WizFi360Ssl, ServerCloseReportsClosed) {
  auto c = start_module();
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  server_->lowest_layer().close();
  EXPECT_EQ(c.read_until("CLOSED\r\n"), "CLOSED\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:4\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Ssl, CipcloseEndsTheSession) {
  auto c = start_module();
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPCLOSE\r\n"), "CLOSED\r\n\r\nOK\r\n");
  EXPECT_TRUE(server_sees_end());
}

TEST_F(WizFi360Ssl, SecondSslLinkReachesMax) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+CIPMUX=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(connect(c, "AT+CIPSTART=0,\"SSL\",\"secure.example\",443\r\n"), "0,CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=1,\"SSL\",\"secure.example\",443\r\n", "\r\nERROR\r\n"), "ssl reach max\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Ssl, NewSslLinkAllowedAfterClose) {
  auto c = start_module();
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPCLOSE\r\n"), "CLOSED\r\n\r\nOK\r\n");
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Ssl, SslLinkRefusesCipsendbuf) {
  auto c = start_module();
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSENDBUF=4\r\n", "\r\nERROR\r\n"), "ssl not supported\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Ssl, SslLinkCannotEnterPassthrough) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+CIPMODE=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSEND\r\n", "\r\nERROR\r\n"), "\r\nERROR\r\n");
  server_write("still +IPD");  // not in passthrough
  EXPECT_EQ(c.read_until("still +IPD"), "\r\n+IPD,10:still +IPD");
}

// The peer of the issue: a real `openssl s_server`, data both ways.
TEST_F(WizFi360Ssl, OpensslSServerExchangesDataBothWays) {
  OpensslServer server;
  const nlohmann::json map = {{"tls.lab", "127.0.0.1:" + std::to_string(server.port())}};
  start_wizfi360({"--set", "network.address_map=" + map.dump()});
  auto c = SerialClient::open_pty(process_->pty_link());
  EXPECT_EQ(attach_and_reboot(c, "wizfi360", "ready\r\n"), kBootBanner);
  EXPECT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"SSL\",\"tls.lab\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSEND=5\r\n", "> "), "\r\nOK\r\n> ");
  c.write("hello");
  EXPECT_EQ(c.read_until("SEND OK\r\n"), "\r\nRecv 5 bytes\r\n\r\nSEND OK\r\n");
  EXPECT_TRUE(server.stdout_shows("hello"));
  server.send("12345\n");
  EXPECT_EQ(c.read_until("12345\n"), "\r\n+IPD,6:12345\n");
}

TEST_F(WizFi360Ssl, RefusedConnectFails) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+CIPSTART=\"SSL\",\"refused.example\",443\r\n", "\r\nERROR\r\n"), "CONNECT FAIL\r\n\r\nERROR\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:2\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Ssl, PeerThatIsNotTlsFailsHandshake) {
  auto c = start_module();
  tcp::socket plain(io_);
  bool answered = false;
  acceptor_.async_accept(plain, [&](boost::system::error_code ec) {
    if (ec) return;
    asio::async_write(plain, asio::buffer(std::string_view("HTTP/1.0 400 Bad Request\r\n\r\n")),
                      [&](const boost::system::error_code&, std::size_t) {
                        plain.close();
                        answered = true;
                      });
  });
  c.write("AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n");
  EXPECT_TRUE(run_until([&] { return answered; }));
  EXPECT_EQ(c.read_until("\r\nERROR\r\n"), "CONNECT FAIL\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Ssl, VerificationWithRightCaConnects) {
  auto c = start_module();
  EXPECT_EQ(upload_pem(c, "CASEND", TestCerts::shared().ca_pem), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSSLCCONF=2\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Ssl, VerificationWithWrongCaFails) {
  auto c = start_module();
  EXPECT_EQ(upload_pem(c, "CASEND", TestCerts::shared().other_ca_pem), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSSLCCONF=2\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT FAIL\r\n\r\nERROR\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:2\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Ssl, VerificationWithoutCaFails) {
  auto c = start_module();
  EXPECT_EQ(ask(c, "AT+CIPSSLCCONF=2\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT FAIL\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Ssl, WrongCaIgnoredWithoutVerification) {
  auto c = start_module();
  EXPECT_EQ(upload_pem(c, "CASEND", TestCerts::shared().other_ca_pem), "\r\nOK\r\n");
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Ssl, ClientCertificatePresentedWithBit0) {
  auto c = start_module({.require_client_certificate = true});
  EXPECT_EQ(upload_pem(c, "CLICASEND", TestCerts::shared().client_cert_pem), "\r\nOK\r\n");
  EXPECT_EQ(upload_pem(c, "AWSPKSEND", TestCerts::shared().client_key_pem), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSSLCCONF=1\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(client_certificate_subject(), "/CN=simdev-client");
}

TEST_F(WizFi360Ssl, ClientCertificateWithheldWithoutBit0) {
  auto c = start_module({.require_client_certificate = true, .tls12_only = true});
  EXPECT_EQ(upload_pem(c, "CLICASEND", TestCerts::shared().client_cert_pem), "\r\nOK\r\n");
  EXPECT_EQ(upload_pem(c, "AWSPKSEND", TestCerts::shared().client_key_pem), "\r\nOK\r\n");
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT FAIL\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Ssl, VerifyAndClientCertificateTogether) {
  auto c = start_module({.require_client_certificate = true});
  EXPECT_EQ(upload_pem(c, "CASEND", TestCerts::shared().ca_pem), "\r\nOK\r\n");
  EXPECT_EQ(upload_pem(c, "CLICASEND", TestCerts::shared().client_cert_pem), "\r\nOK\r\n");
  EXPECT_EQ(upload_pem(c, "AWSPKSEND", TestCerts::shared().client_key_pem), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSSLCCONF=3\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(connect(c, "AT+CIPSTART=\"SSL\",\"secure.example\",443\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_EQ(client_certificate_subject(), "/CN=simdev-client");
}

}  // namespace
}  // namespace simdev::test
