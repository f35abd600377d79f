// AT+MQTTSET, AT+MQTTCON, AT+MQTTPUB, AT+MQTTSUB.
#include "devices/wiz550s2e/at_socket.hpp"
#include "devices/wiz550s2e/handlers.hpp"
#include "devices/wiz550s2e/response.hpp"

namespace simdev::wiz550s2e {
namespace {

constexpr std::size_t kMaxUser = 9;
constexpr std::size_t kMaxPassword = 9;
constexpr std::size_t kMaxClientId = 24;
constexpr std::size_t kMaxTopic = 24;
constexpr long kMaxPayload = 1024;

std::optional<bool> on_off(Module& m, std::string_view arg) {
  auto n = number(arg);
  if (!n) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
    return std::nullopt;
  }
  if (*n > 1) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 1));
    return std::nullopt;
  }
  return *n == 1;
}

}  // namespace

void mqttset_show(Module& m, const CommandLine&) {
  const Settings& s = m.settings();
  m.write_serial(ok({s.mqtt_user, s.mqtt_pw, s.module_name}));
}

void mqttset_set(Module& m, const CommandLine& cmd) {
  if (cmd.arg(1).size() > kMaxUser || cmd.arg(2).size() > kMaxPassword || cmd.arg(3).size() > kMaxClientId) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 1));
    return;
  }
  Settings& s = m.settings();
  s.mqtt_user = std::string(cmd.arg(1));
  s.mqtt_pw = std::string(cmd.arg(2));
  s.module_name = std::string(cmd.arg(3));  // the client id is the module name
  m.save_settings();
  m.write_serial(ok());
}

void mqttcon_set(Module& m, const CommandLine& cmd) {
  auto connect = on_off(m, cmd.arg(1));
  if (!connect) return;
  AtSocket& sock = m.socket();
  if (!*connect) {
    m.bump_auto_port();
    if (sock.busy()) m.write_serial(failure(ErrorCode::busy));
    else if (!sock.in_use()) m.write_serial(failure(ErrorCode::socket_closed));
    else m.write_serial(sock.close());
    return;
  }
  const Settings& s = m.settings();
  auto ip = parse_ip(cmd.arg(2));
  if (!ip) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 2));
    return;
  }
  auto port = parse_port(cmd.arg(3));
  if (!port) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 3));
    return;
  }
  if (sock.in_use()) {
    m.write_serial(sock.local_port() == m.auto_port() ? arg_error(ErrorCode::port_in_use, 2)
                                                       : failure(ErrorCode::no_socket));
    return;
  }
  mqtt::ClientOptions options;
  options.client_id = s.module_name;
  options.username = s.mqtt_user;
  options.password = s.mqtt_pw;
  options.always_send_credentials = true;  // spec §6: the firmware sets both flags, even for empty strings
  m.write_serial(sock.open_mqtt(std::move(options), m.auto_port(), *ip, *port));
}

void mqttpub_set(Module& m, const CommandLine& cmd) {
  auto id = number(cmd.arg(1));
  if (!id) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
    return;
  }
  if (*id != 0) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 1));
    return;
  }
  Settings& s = m.settings();
  if (!cmd.arg(2).empty()) {
    if (cmd.arg(2).size() > kMaxTopic) {
      m.write_serial(arg_error(ErrorCode::out_of_range, 2));
      return;
    }
    s.mqtt_publish_topic = std::string(cmd.arg(2));
    m.save_settings();  // saved at once, even when a later check fails
  } else if (s.mqtt_publish_topic.empty()) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 2));
    return;
  }
  auto size = number(cmd.arg(3));
  if (!size || *size < 1 || *size > kMaxPayload) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 3));
    return;
  }
  AtSocket& sock = m.socket();
  if (sock.busy()) {
    m.write_serial(failure(ErrorCode::busy));
    return;
  }
  if (!sock.in_use()) {
    m.write_serial(failure(ErrorCode::socket_closed));
    return;
  }
  if (!sock.tcp_connected()) {
    m.write_serial(failure(ErrorCode::not_connected));
    return;
  }
  if (static_cast<std::size_t>(*size) > sock.tx_free()) {
    m.write_serial(failure(ErrorCode::busy, std::nullopt, {std::to_string(sock.tx_free())}));
    return;
  }
  m.write_serial(success('W', 0));
  std::string topic = s.mqtt_publish_topic;
  m.start_data_phase(static_cast<std::size_t>(*size), [&m, topic](Bytes payload) {
    if (m.socket().mqtt_active()) m.socket().publish(topic, std::move(payload));
    else m.socket().send(std::move(payload), std::nullopt);
  });
}

void mqttsub_set(Module& m, const CommandLine& cmd) {
  auto subscribe = on_off(m, cmd.arg(1));
  if (!subscribe) return;
  if (cmd.arg(2).size() > kMaxTopic) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 2));
    return;
  }
  Settings& s = m.settings();
  if (!cmd.arg(2).empty()) s.mqtt_subscribe_topic = std::string(cmd.arg(2));
  else if (s.mqtt_subscribe_topic.empty()) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 2));
    return;
  }
  Fields echo{std::string(cmd.arg(1)), std::string(cmd.arg(2))};
  AtSocket& sock = m.socket();
  if (!sock.mqtt_active()) {
    m.write_serial(failure(ErrorCode::not_connected, std::nullopt, echo));
    return;
  }
  m.block_input();
  sock.subscribe(*subscribe, s.mqtt_subscribe_topic, [&m, echo](bool accepted) {
    m.write_serial(accepted ? ok(echo) : failure(ErrorCode::unspecified, std::nullopt, echo));
    m.unblock_input();
  });
}

}  // namespace simdev::wiz550s2e
