#pragma once
// Internal: a libmosquitto instance configured from ClientOptions (MQTT 3.1.1, credentials, will, TLS context
// from in-memory PEM). Callbacks are wired by the caller.
#include <memory>
#include <string>

struct mosquitto;

namespace simdev::mqtt {

struct ClientOptions;

struct MosquittoDeleter {
  void operator()(mosquitto* m) const;
};
using MosquittoPtr = std::unique_ptr<mosquitto, MosquittoDeleter>;

// `verify_name` is the virtual broker host, used for TLS host-name checks unless TlsOptions::verify_name is set.
// `userdata` is handed to every libmosquitto callback. Throws std::invalid_argument on unusable options.
MosquittoPtr make_mosquitto(const ClientOptions& options, const std::string& verify_name, void* userdata);

// libmosquitto's keepalive floor: 0 stays 0 (off), 1..4 become 5.
int effective_keepalive(int keepalive_s);

}  // namespace simdev::mqtt
