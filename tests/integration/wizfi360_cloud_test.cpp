// WizFi360 cloud commands (§4) through the real binary: AZCON against a TLS listener standing in for
// <hub>.azure-devices.net (the SAS token is recomputed by the test from a captured CONNECT), AWSCON against the
// mutual-TLS listener of a real mosquitto with the certificates stored in the module's flash.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

#include "tests/integration/wizfi360_mqtt_fixture.hpp"

namespace simdev::test {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr const char* kDeviceKey = "c2VjcmV0LWRldmljZS1rZXk=";  // base64("secret-device-key")
constexpr long kTokenTtl = 7200;

struct ConnectFields {
  std::string client_id;
  std::string username;
  std::string password;
};

// The fields of an MQTT 3.1.1 CONNECT at the start of `data`; nullopt while it is incomplete.
std::optional<ConnectFields> parse_connect(const std::string& data) {
  if (data.size() < 2 || static_cast<unsigned char>(data[0]) != 0x10) return std::nullopt;
  std::size_t remaining = 0;
  std::size_t p = 1;
  for (int shift = 0; p < data.size(); shift += 7) {
    const auto byte = static_cast<unsigned char>(data[p++]);
    remaining |= static_cast<std::size_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (data.size() < p + remaining) return std::nullopt;
  auto text = [&]() {
    const std::size_t length = static_cast<unsigned char>(data[p]) * 256u + static_cast<unsigned char>(data[p + 1]);
    std::string s = data.substr(p + 2, length);
    p += 2 + length;
    return s;
  };
  text();                                                 // protocol name
  ++p;                                                    // level
  const auto flags = static_cast<unsigned char>(data[p++]);
  p += 2;                                                 // keepalive
  ConnectFields f;
  f.client_id = text();
  if (flags & 0x04) {  // will topic + message
    text();
    text();
  }
  if (flags & 0x80) f.username = text();
  if (flags & 0x40) f.password = text();
  return f;
}

// A TLS listener on 127.0.0.1 that takes one connection and keeps the CONNECT it receives (then hangs up).
class ConnectCapture {
 public:
  ConnectCapture() {
    const auto& certs = TestCerts::shared();
    context_.use_certificate_chain_file(certs.server_cert_file().string());
    context_.use_private_key_file(certs.server_key_file().string(), asio::ssl::context::pem);
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  std::optional<ConnectFields> capture(std::chrono::seconds timeout) {
    asio::ssl::stream<tcp::socket> stream(io_, context_);
    std::string data;
    std::optional<ConnectFields> fields;
    std::array<char, 1024> chunk{};
    std::function<void()> read_more = [&] {
      stream.async_read_some(asio::buffer(chunk), [&](const boost::system::error_code& ec, std::size_t n) {
        if (ec) return;
        data.append(chunk.data(), n);
        fields = parse_connect(data);
        if (fields) return io_.stop();
        read_more();
      });
    };
    acceptor_.async_accept(stream.next_layer(), [&](const boost::system::error_code& ec) {
      if (ec) return;
      stream.async_handshake(asio::ssl::stream_base::server, [&](const boost::system::error_code& e) {
        if (!e) read_more();
      });
    });
    io_.run_for(timeout);
    return fields;
  }

 private:
  asio::io_context io_;
  asio::ssl::context context_{asio::ssl::context::tls_server};
  tcp::acceptor acceptor_{io_};
};

// What the test expects the signature to be: base64(HMAC-SHA256(key, "<url-encoded resource>\n<expiry>")),
// url-encoded (base64's + / = are the only characters that need it).
std::string expected_signature(const std::string& encoded_resource, long expiry) {
  const std::string key = "secret-device-key";
  const std::string message = encoded_resource + "\n" + std::to_string(expiry);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &length);
  std::string base64(4 * ((length + 2) / 3) + 1, '\0');
  base64.resize(static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(base64.data()), digest,
                                                         static_cast<int>(length))));
  std::string out;
  for (char c : base64) {
    if (c == '+') out += "%2B";
    else if (c == '/') out += "%2F";
    else if (c == '=') out += "%3D";
    else out += c;
  }
  return out;
}

long unix_now() {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

class WizFi360Cloud : public WizFi360MqttFixture {
 protected:
  SerialClient start_azure(nlohmann::json map = nlohmann::json::object()) {
    auto c = start_module(std::move(map), {"--set", "mqtt.sas_token_ttl_s=" + std::to_string(kTokenTtl)});
    EXPECT_EQ(ask(c, std::string("AT+AZSET=\"simhub\",\"dev1\",\"") + kDeviceKey + "\"\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"devices/dev1/messages/events/\",\"devices/dev1/messages/devicebound/#\"\r\n"),
              "\r\nOK\r\n");
    return c;
  }

  SerialClient start_aws(const nlohmann::json& flash) {
    write_flash(flash);
    auto c = start_module();
    EXPECT_EQ(ask(c, "AT+MQTTSET=\"\",\"\",\"" + unique_id("thing1") + "\",60\r\n"), "\r\nOK\r\n");
    EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"$aws/things/thing1/shadow/update\","
                     "\"$aws/things/thing1/shadow/update/accepted\"\r\n"),
              "\r\nOK\r\n");
    return c;
  }

  static nlohmann::json aws_flash() {
    const auto& certs = TestCerts::shared();
    return {{"ssl_cconf", 2},
            {"ca_pem", certs.ca_pem},
            {"client_cert_pem", certs.client_cert_pem},
            {"client_key_pem", certs.client_key_pem}};
  }
};

TEST_F(WizFi360Cloud, AzconSendsIotHubIdentityAndSasToken) {
  ConnectCapture hub;
  auto c = start_azure({{"*.azure-devices.net", "127.0.0.1:" + std::to_string(hub.port())}});
  const long before = unix_now();
  c.write("AT+AZCON\r\n");
  const auto fields = hub.capture(std::chrono::seconds(5));
  const long after = unix_now();
  ASSERT_TRUE(fields.has_value());
  EXPECT_EQ(fields->client_id, "dev1");
  EXPECT_EQ(fields->username, "simhub.azure-devices.net/dev1/?api-version=2018-06-30");
  const std::string resource = "simhub.azure-devices.net%2Fdevices%2Fdev1";
  const std::string head = "SharedAccessSignature sr=" + resource + "&sig=";
  ASSERT_EQ(fields->password.substr(0, head.size()), head) << fields->password;
  const auto se = fields->password.rfind("&se=");
  ASSERT_NE(se, std::string::npos);
  const long expiry = std::stol(fields->password.substr(se + 4));
  EXPECT_GE(expiry, before + kTokenTtl);
  EXPECT_LE(expiry, after + kTokenTtl);
  EXPECT_EQ(fields->password.substr(head.size(), se - head.size()), expected_signature(resource, expiry));
}

TEST_F(WizFi360Cloud, AzconConnectsToMappedTlsBroker) {
  auto c = start_azure();
  EXPECT_EQ(ask(c, "AT+AZCON\r\n"), "CONNECT\r\n\r\nOK\r\n");
  const auto links = links_state()["links"];
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(ask(c, "AT+CIPSTATUS\r\n"), "STATUS:3\r\n+CIPSTATUS:0,\"MQTTS\",\"127.0.0.1\",8883," +
                                            std::to_string(links[0]["local_port"].get<int>()) + ",0\r\n\r\nOK\r\n");
}

TEST_F(WizFi360Cloud, AzureDeviceboundMessagePrinted) {
  auto c = start_azure();
  EXPECT_EQ(ask(c, "AT+AZCON\r\n"), "CONNECT\r\n\r\nOK\r\n");
  ASSERT_TRUE(publish("devices/dev1/messages/devicebound/%24.to=%2Fdevices%2Fdev1%2Fmessages%2FdeviceBound", "on"));
  EXPECT_EQ(c.read_until("\r\n"),
            "devices/dev1/messages/devicebound/%24.to=%2Fdevices%2Fdev1%2Fmessages%2FdeviceBound -> on\r\n");
}

TEST_F(WizFi360Cloud, AzureTelemetryPublished) {
  auto c = start_azure();
  EXPECT_EQ(ask(c, "AT+AZCON\r\n"), "CONNECT\r\n\r\nOK\r\n");
  auto sub = subscribe("devices/dev1/messages/events/");
  ASSERT_TRUE(sub.subscribed());
  EXPECT_EQ(ask(c, "AT+MQTTPUB=\"{\"temperature\":21.97}\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(sub.output(), "{\"temperature\":21.97}\n");
}

TEST_F(WizFi360Cloud, AzconWithWrongCaFails) {
  write_flash({{"ssl_cconf", 2}, {"ca_pem", TestCerts::shared().other_ca_pem}});
  auto c = start_azure();
  EXPECT_EQ(ask(c, "AT+AZCON\r\n", "\r\nERROR\r\n"), "CONNECT FAIL\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Cloud, AwsconMutualTlsWithStoredCertificates) {
  auto c = start_aws(aws_flash());
  EXPECT_EQ(ask(c, std::string("AT+AWSCON=\"") + kAwsEndpoint + "\"\r\n"), "CONNECT\r\n\r\nOK\r\n");
  ASSERT_TRUE(publish("$aws/things/thing1/shadow/update/accepted", "{\"state\":{\"reported\":{\"led\":1}}}"));
  EXPECT_EQ(c.read_until("\r\n"),
            "$aws/things/thing1/shadow/update/accepted -> {\"state\":{\"reported\":{\"led\":1}}}\r\n");
}

// WIZnet's AWS guide end to end: CA, client certificate and RSA key uploaded over AT, CIPSSLCCONF=2, AWSCON.
TEST_F(WizFi360Cloud, AwsconWithCertificatesUploadedOverAt) {
  const auto& certs = TestCerts::shared();
  auto c = start_aws(nlohmann::json::object());
  EXPECT_EQ(upload_pem(c, "CASEND", certs.ca_pem), "\r\nOK\r\n");
  EXPECT_EQ(upload_pem(c, "CLICASEND", certs.client_cert_pem), "\r\nOK\r\n");
  EXPECT_EQ(upload_pem(c, "AWSPKSEND", certs.client_key_pem), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+CIPSSLCCONF=2\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, std::string("AT+AWSCON=\"") + kAwsEndpoint + "\"\r\n"), "CONNECT\r\n\r\nOK\r\n");
  EXPECT_TRUE(wait_until([&] { return broker_.log().find("u'simdev-client'") != std::string::npos; },
                         std::chrono::seconds(5)));  // the broker took the uploaded certificate's CN as the user
}

TEST_F(WizFi360Cloud, AwsconEndpointFromAwsset) {
  auto c = start_aws(aws_flash());
  EXPECT_EQ(ask(c, std::string("AT+AWSSET=\"") + kAwsEndpoint + "\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+AWSCON\r\n"), "CONNECT\r\n\r\nOK\r\n");
}

// §3: AWSSET is RAM only: after a reset AWSCON has no endpoint (and the configuration names none).
TEST_F(WizFi360Cloud, AwssetIsForgottenAtReset) {
  auto c = start_aws(aws_flash());
  EXPECT_EQ(ask(c, std::string("AT+AWSSET=\"") + kAwsEndpoint + "\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(control({{"op", "reset"}, {"device", "wizfi360"}})["ok"], true);
  EXPECT_EQ(c.read_until("ready\r\n"), kWizFiBanner);
  EXPECT_EQ(ask(c, "ATE0\r\n"), "ATE0\r\n\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTSET=\"\",\"\",\"" + unique_id("thing1") + "\",60\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+MQTTTOPIC=\"a\",\"b\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(ask(c, "AT+AWSCON\r\n", "\r\nERROR\r\n"), "\r\nERROR\r\n");
}

TEST_F(WizFi360Cloud, AwsconShadowUpdatePublished) {
  auto c = start_aws(aws_flash());
  EXPECT_EQ(ask(c, std::string("AT+AWSCON=\"") + kAwsEndpoint + "\"\r\n"), "CONNECT\r\n\r\nOK\r\n");
  auto sub = subscribe("$aws/things/thing1/shadow/update");
  ASSERT_TRUE(sub.subscribed());
  EXPECT_EQ(ask(c, "AT+MQTTPUB=\"{\"state\":{\"reported\":{\"temp\":25}}}\"\r\n"), "\r\nOK\r\n");
  EXPECT_EQ(sub.output(), "{\"state\":{\"reported\":{\"temp\":25}}}\n");
}

TEST_F(WizFi360Cloud, AwsconRejectedWithoutClientCertificate) {
  auto c = start_aws({{"ssl_cconf", 2}, {"ca_pem", TestCerts::shared().ca_pem}});
  EXPECT_EQ(ask(c, std::string("AT+AWSCON=\"") + kAwsEndpoint + "\"\r\n", "\r\nERROR\r\n"),
            "CONNECT FAIL\r\n\r\nERROR\r\n");
}

TEST_F(WizFi360Cloud, AwsconRefusedWithoutServerVerification) {
  auto flash = aws_flash();
  flash["ssl_cconf"] = 1;
  auto c = start_aws(flash);
  EXPECT_EQ(ask(c, std::string("AT+AWSCON=\"") + kAwsEndpoint + "\"\r\n", "\r\nERROR\r\n"), "\r\nERROR\r\n");
}

}  // namespace
}  // namespace simdev::test
