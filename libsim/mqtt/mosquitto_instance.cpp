#include "libsim/mqtt/mosquitto_instance.hpp"

#include <mutex>
#include <stdexcept>

#include <mosquitto.h>

#include "libsim/mqtt/client_options.hpp"
#include "libsim/net/tls_context.hpp"

namespace simdev::mqtt {
namespace {

void check(int rc, const char* what) {
  if (rc != MOSQ_ERR_SUCCESS) throw std::invalid_argument(std::string(what) + ": " + mosquitto_strerror(rc));
}

}  // namespace

void MosquittoDeleter::operator()(mosquitto* m) const { mosquitto_destroy(m); }

int effective_keepalive(int keepalive_s) {
  if (keepalive_s <= 0) return 0;
  return keepalive_s < 5 ? 5 : keepalive_s;
}

MosquittoPtr make_mosquitto(const ClientOptions& options, const std::string& verify_name, void* userdata) {
  static std::once_flag init;
  std::call_once(init, [] { mosquitto_lib_init(); });

  const char* id = options.client_id.empty() ? nullptr : options.client_id.c_str();
  if (!id && !options.clean_session) throw std::invalid_argument("an empty client id needs a clean session");
  MosquittoPtr m(mosquitto_new(id, options.clean_session, userdata));
  if (!m) throw std::invalid_argument("mosquitto_new failed");

  check(mosquitto_int_option(m.get(), MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311), "protocol version");
  // MQTT 3.1.1 allows a password only after a username: a password alone goes with an empty username.
  if (options.always_send_credentials || !options.username.empty() || !options.password.empty()) {
    const bool password = options.always_send_credentials || !options.password.empty();
    check(mosquitto_username_pw_set(m.get(), options.username.c_str(), password ? options.password.c_str() : nullptr),
          "username/password");
  }
  if (options.will) {
    const auto& will = *options.will;
    check(mosquitto_will_set(m.get(), will.topic.c_str(), static_cast<int>(will.payload.size()), will.payload.data(),
                             will.qos, will.retain),
          "will");
  }
  if (options.tls) {
    // libmosquitto takes its own reference on the SSL_CTX, so the asio wrapper may go.
    auto context = net::make_client_tls_context(*options.tls, verify_name);
    check(mosquitto_void_option(m.get(), MOSQ_OPT_SSL_CTX, context->native_handle()), "TLS context");
    // Use the context exactly as built; with defaults on, libmosquitto insists on a CA file path.
    check(mosquitto_int_option(m.get(), MOSQ_OPT_SSL_CTX_WITH_DEFAULTS, 0), "TLS context defaults");
  }
  return m;
}

}  // namespace simdev::mqtt
