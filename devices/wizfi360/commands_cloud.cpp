// Cloud commands (§4, manual 3.3.37-3.3.40): AZSET, AZCON (Azure IoT Hub), AWSSET, AWSCON (AWS IoT). They open the
// same single MQTT session as MQTTCON, so their rows are added together with the MQTT family (add_cloud_rows).
#include <chrono>

#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/mqtt_session.hpp"
#include "devices/wizfi360/sas_token.hpp"
#include "devices/wizfi360/tls_material.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr std::size_t kMaxName = 128;
constexpr std::size_t kMaxKey = 256;
constexpr const char* kAzureDomain = ".azure-devices.net";
constexpr const char* kAzureApiVersion = "2018-06-30";

// `"hub","device","key"`: each missing or malformed field has its own reason line.
void azset(Module& m, MqttSession& s, const at::Request& req) {
  auto a = at::split_args(req.args);
  if (!a || a->size() > 3) return m.error();
  auto field = [&](std::size_t i, std::size_t max) -> std::optional<std::string> {
    if (i >= a->size()) return std::nullopt;
    return at::to_string((*a)[i], 1, max);
  };
  auto hub = field(0, kMaxName);
  if (!hub) return m.error("AZ Hubid ERROR");
  auto device = field(1, kMaxName);
  if (!device) return m.error("AZ devId ERROR");
  auto key_text = field(2, kMaxKey);
  auto key = key_text ? decode_base64(*key_text) : std::nullopt;
  if (!key) return m.error("AZ Key ERROR");
  s.azure = AzureIdentity{*hub, *device, std::move(*key)};
  m.ok();
}

// TLS to <hub>.azure-devices.net:8883 with the IoT Hub username shape and a SAS token as password.
void azcon(Module& m, MqttSession& s) {
  if (!s.azure || m.links().mux()) return m.error();
  const AzureIdentity& az = *s.azure;
  const std::string host = az.hub + kAzureDomain;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  mqtt::ClientOptions options;
  options.client_id = az.device;
  options.username = host + "/" + az.device + "/?api-version=" + kAzureApiVersion;
  options.password = azure_sas_token(host + "/devices/" + az.device, az.key, now.count() + s.config().sas_token_ttl_s);
  options.keepalive_s = static_cast<int>(s.login.keepalive_s);
  options.tls = tls_options_for(m.current(), host);
  s.start(0, net::HostPort{host, static_cast<std::uint16_t>(s.config().cloud_port)}, std::move(options));
}

// Mutual TLS on 8883 with the uploaded CA, client certificate and key; the client id comes from MQTTSET.
void awscon(Module& m, MqttSession& s, std::optional<std::string> endpoint) {
  if (m.links().mux() || (m.current().ssl_cconf & kSslVerifyServer) == 0) return m.error();
  if (!endpoint || endpoint->empty()) endpoint = s.aws_endpoint.empty() ? s.config().aws_endpoint : s.aws_endpoint;
  if (endpoint->empty()) return m.error();
  mqtt::ClientOptions options;
  options.username = s.login.user;
  options.password = s.login.password;
  options.client_id = s.login.client_id;
  options.keepalive_s = static_cast<int>(s.login.keepalive_s);
  options.tls = tls_options_for(m.current(), *endpoint, TlsForce{.verify_server = true, .client_certificate = true});
  s.start(0, net::HostPort{*endpoint, static_cast<std::uint16_t>(s.config().cloud_port)}, std::move(options));
}

std::optional<std::string> endpoint_arg(const at::Request& req) {
  auto a = parse_args(req, 1, 1);
  return a ? at::to_string((*a)[0], 1, kMaxName) : std::nullopt;
}

}  // namespace

void add_cloud_rows(Module& m, at::CommandTable& t, const std::shared_ptr<MqttSession>& session) {
  t.add({.name = "+AZSET", .set = [&m, session](const at::Request& req) { azset(m, *session, req); }});
  t.add({.name = "+AZCON", .execute = [&m, session](const at::Request&) { azcon(m, *session); }});
  t.add({.name = "+AWSSET",
         .set =
             [&m, session](const at::Request& req) {
               auto endpoint = endpoint_arg(req);
               if (!endpoint) return m.error();
               session->aws_endpoint = *endpoint;
               m.ok();
             }});
  t.add({.name = "+AWSCON",
         .set =
             [&m, session](const at::Request& req) {
               auto endpoint = endpoint_arg(req);
               if (!endpoint) return m.error();
               awscon(m, *session, endpoint);
             },
         .execute = [&m, session](const at::Request&) { awscon(m, *session, std::nullopt); }});
}

// The rows are added by add_mqtt_commands (see add_cloud_rows): the cloud commands share its session.
void add_cloud_commands(Module&, at::CommandTable&) {}

}  // namespace simdev::wizfi360
