#pragma once
// TLS client settings with every certificate held in memory as PEM text (certificates uploaded over AT
// never touch the disk).
#include <string>

namespace simdev::net {

struct TlsOptions {
  std::string sni;            // server name sent in the handshake; empty = the virtual host when it is a name
  bool verify_peer = false;   // check the server chain against ca_pem
  bool verify_host = false;   // also check the certificate names verify_name (needs verify_peer)
  std::string verify_name;    // empty = the virtual host the device asked for
  std::string ca_pem;         // trusted CA(s), one or more PEM blocks
  std::string cert_pem;       // client certificate (chain) for mutual TLS; empty = none
  std::string key_pem;        // client private key matching cert_pem
};

}  // namespace simdev::net
