#pragma once
// The TLS options of a WizFi360 session (SSL link, MQTTS, Azure, AWS) built from the certificates and the
// CIPSSLCCONF mode stored with AT+CASEND / AT+CLICASEND / AT+AWSPKSEND (§5).
#include <string>

#include "devices/wizfi360/settings.hpp"
#include "libsim/net/tls_options.hpp"

namespace simdev::wizfi360 {

// CIPSSLCCONF bits (ESP-1.x meaning, §5).
inline constexpr long kSslClientCertificate = 1;  // present the CLICASEND certificate and AWSPKSEND key
inline constexpr long kSslVerifyServer = 2;       // check the server chain against the CASEND CA

// What a session needs whatever CIPSSLCCONF says (AWSCON forces the client certificate, for example).
struct TlsForce {
  bool verify_server = false;
  bool client_certificate = false;
};

// Options for a session to `host` (the name the client gave, before the address map):
// - SNI = `host` when it is a name (nothing for an IP literal);
// - verification against Settings::ca_pem when bit 1 is set or forced; the chain only, not the host name
//   (virtual names are mapped to loopback servers whose certificates name something else); with verification on
//   and no CA stored every server fails, as on the module;
// - client certificate and key when bit 0 is set or forced (both stored, else none is presented).
net::TlsOptions tls_options_for(const Settings& settings, const std::string& host, TlsForce force = {});

}  // namespace simdev::wizfi360
