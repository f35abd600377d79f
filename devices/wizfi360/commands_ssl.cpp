// SSL family (§2.3 SSL rows, §5): AT+CIPSSLSIZE, AT+CIPSSLCCONF, the certificate uploads AT+CASEND /
// AT+CLICASEND / AT+AWSPKSEND, and CIPSTART's "SSL" branch (start_ssl).
#include <memory>

#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/pem_upload.hpp"
#include "devices/wizfi360/tls_material.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr long kSslSizeDefault = 2048;
constexpr long kSslSizeMin = 2048;
constexpr long kSslSizeMax = 4096;
constexpr long kSslModeMax = kSslClientCertificate | kSslVerifyServer;

struct SslState {
  long ssl_size = kSslSizeDefault;  // CIPSSLSIZE: RAM only, accepted and ignored
  std::size_t max_pem_bytes = 8192;
};

// One certificate upload command and the setting it fills.
struct PemSlot {
  const char* command;
  PemKind kind;
  std::string Settings::*field;
};

constexpr PemSlot kPemSlots[] = {
    {"+CASEND", PemKind::certificate, &Settings::ca_pem},
    {"+CLICASEND", PemKind::certificate, &Settings::client_cert_pem},
    {"+AWSPKSEND", PemKind::private_key, &Settings::client_key_pem},
};

std::optional<long> single_int(const at::Request& req, long min, long max) {
  auto a = parse_args(req, 1, 1);
  return a ? at::to_int((*a)[0], min, max) : std::nullopt;
}

// `> `, then the PEM lines (raw, never echoed) until the END line; OK and stored, or ERROR.
void receive_pem(Module& m, const PemSlot& slot, std::size_t max_bytes) {
  m.send("> ");
  auto upload = std::make_shared<PemUpload>(slot.kind, max_bytes);
  m.set_raw_input([&m, &slot, upload](ByteView bytes) {
    const std::size_t taken = upload->feed(bytes);
    switch (upload->status()) {
      case PemUpload::Status::more:
        break;
      case PemUpload::Status::done:
        m.set_raw_input(nullptr);
        m.write(Layer::both, [&](Settings& s) { s.*slot.field = upload->pem(); });
        m.ok();
        break;
      case PemUpload::Status::malformed:
        m.set_raw_input(nullptr);
        m.error();
        break;
    }
    return taken;
  });
}

// The stored PEM with the module's line endings, then OK; ERROR when nothing is stored.
void print_pem(Module& m, const std::string& pem) {
  if (pem.empty()) return m.error();
  std::string out;
  for (char c : pem) {
    if (c == '\n') out += '\r';
    out += c;
  }
  m.send(out + "\r\nOK\r\n");
}

void add_pem_rows(Module& m, at::CommandTable& t, std::shared_ptr<SslState> state) {
  for (const PemSlot& slot : kPemSlots) {
    t.add({.name = slot.command,
           .query = [&m, &slot](const at::Request&) { print_pem(m, m.current().*slot.field); },
           .set =
               [&m, &slot, state](const at::Request& req) {
                 auto on = single_int(req, 0, 1);
                 if (!on) return m.error();
                 if (*on == 1) return receive_pem(m, slot, state->max_pem_bytes);
                 m.write(Layer::both, [&](Settings& s) { (s.*slot.field).clear(); });
                 m.ok();
               }});
  }
}

// The reason line when a TLS session is already open: the SSL-only message when it is an SSL link, the shared
// one when it is an MQTTS session (§2.3 names both).
std::string reach_max_reason(Module& m) {
  for (int id = 0; id < Links::kCount; ++id) {
    const Link& link = m.links().at(id);
    if (link.open() && link.type == "MQTTS") return "ssl or mqtts reach max";
  }
  return "ssl reach max";
}

}  // namespace

void add_ssl_commands(Module& m, at::CommandTable& t) {
  auto state = std::make_shared<SslState>();
  const nlohmann::json& config = m.context().config;
  if (config.is_object() && config.contains("ssl") && config["ssl"].is_object()) {
    state->max_pem_bytes = config["ssl"].value("max_pem_bytes", state->max_pem_bytes);
  }
  m.add_reset_hook([state] { state->ssl_size = kSslSizeDefault; });

  t.add({.name = "+CIPSSLSIZE",
         .query = [&m, state](const at::Request&) {
           m.send("+CIPSSLSIZE:" + std::to_string(state->ssl_size) + "\r\n\r\nOK\r\n");
         },
         .set =
             [&m, state](const at::Request& req) {
               auto size = single_int(req, kSslSizeMin, kSslSizeMax);
               if (!size) return m.error();
               state->ssl_size = *size;
               m.ok();
             }});
  t.add({.name = "+CIPSSLCCONF",
         .query = [&m](const at::Request&) {
           m.send("+CIPSSLCCONF:" + std::to_string(m.current().ssl_cconf) + "\r\n\r\nOK\r\n");
         },
         .set =
             [&m](const at::Request& req) {
               auto mode = single_int(req, 0, kSslModeMax);
               if (!mode) return m.error();
               m.write(Layer::both, [&](Settings& s) { s.ssl_cconf = *mode; });
               m.ok();
             }});
  add_pem_rows(m, t, state);
}

void start_ssl(Module& m, int id, const net::HostPort& destination, int keepalive_s) {
  Links& links = m.links();
  if (links.tls_sessions() > 0) return m.error(reach_max_reason(m));
  m.begin_busy([&m] { m.links().cancel_connect(); });
  links.connect_ssl(id, destination, keepalive_s, tls_options_for(m.current(), destination.host),
                    [&m] { m.end_busy(); });
}

}  // namespace simdev::wizfi360
