// AT+NOPEN, AT+NCLOSE, AT+NSEND, AT+NSOCK on the single AT socket.
#include <cctype>

#include "devices/wiz550s2e/at_socket.hpp"
#include "devices/wiz550s2e/handlers.hpp"
#include "devices/wiz550s2e/response.hpp"

namespace simdev::wiz550s2e {
namespace {

constexpr std::size_t kMaxSendSize = 1024;

// Socket id argument: only 0 exists. An empty id is out-of-range array access in the firmware; answered as
// an idle socket.
bool socket_id_ok(Module& m, std::string_view arg) {
  if (arg.empty()) {
    m.write_serial(failure(ErrorCode::socket_closed));
    return false;
  }
  auto id = number(arg);
  if (!id) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
    return false;
  }
  if (*id != 0) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 1));
    return false;
  }
  return true;
}

void open_automatic(Module& m) {
  const Settings& s = m.settings();
  AtSocket& sock = m.socket();
  switch (s.working_mode) {
    case WorkingMode::client: m.write_serial(sock.open_client(s.local_port, s.remote_ip, s.remote_port)); return;
    case WorkingMode::server: m.write_serial(sock.open_server(s.local_port)); return;
    case WorkingMode::udp:
      m.write_serial(sock.open_udp(s.local_port, Peer{to_string(s.remote_ip), s.remote_port}));
      return;
    default: m.write_serial(failure(ErrorCode::not_allowed)); return;
  }
}

}  // namespace

void nopen_set(Module& m, const CommandLine& cmd) {
  char type = cmd.arg(1).size() == 1 ? static_cast<char>(std::toupper(static_cast<unsigned char>(cmd.arg(1)[0]))) : 0;
  if (type != 'S' && type != 'C' && type != 'U' && type != 'A') {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
    return;
  }
  AtSocket& sock = m.socket();
  auto lport = parse_port(cmd.arg(2));
  if (sock.in_use()) {
    bool same_port = type != 'A' && lport && *lport == sock.local_port();
    m.write_serial(same_port ? arg_error(ErrorCode::port_in_use, 2) : failure(ErrorCode::no_socket));
    return;
  }
  if (type == 'A') {
    open_automatic(m);
    return;
  }
  if (type != 'C' && !lport) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 2));
    return;
  }
  if (!cmd.arg(5).empty()) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 5));
    return;
  }
  if (type == 'S') {
    for (int field : {3, 4})
      if (!cmd.arg(field).empty()) {
        m.write_serial(arg_error(ErrorCode::wrong_arguments, field));
        return;
      }
    m.write_serial(sock.open_server(*lport));
    return;
  }
  auto ip = parse_ip(cmd.arg(3));
  auto port = parse_port(cmd.arg(4));
  if (type == 'U' && cmd.arg(3).empty() && cmd.arg(4).empty()) {
    m.write_serial(sock.open_udp(*lport, std::nullopt));
    return;
  }
  if (!ip) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 3));
    return;
  }
  if (!port) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 4));
    return;
  }
  if (type == 'U') {
    m.write_serial(sock.open_udp(*lport, Peer{to_string(*ip), *port}));
    return;
  }
  m.write_serial(sock.open_client(lport ? *lport : m.auto_port(), *ip, *port));
}

void nclose_set(Module& m, const CommandLine& cmd) {
  m.bump_auto_port();
  if (!socket_id_ok(m, cmd.arg(1))) return;
  AtSocket& sock = m.socket();
  if (sock.busy()) m.write_serial(failure(ErrorCode::busy));
  else if (!sock.in_use()) m.write_serial(failure(ErrorCode::socket_closed));
  else m.write_serial(sock.close());
}

void nsend_set(Module& m, const CommandLine& cmd) {
  if (!socket_id_ok(m, cmd.arg(1))) return;
  auto size = number(cmd.arg(2));
  if (!size || *size < 1 || *size > static_cast<long>(kMaxSendSize)) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 2));
    return;
  }
  std::optional<Ip4> ip;
  std::optional<std::uint16_t> port;
  if (!cmd.arg(3).empty() && !(ip = parse_ip(cmd.arg(3)))) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 3));
    return;
  }
  if (!cmd.arg(4).empty() && !(port = parse_port(cmd.arg(4)))) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 4));
    return;
  }
  for (int field : {5, 6})
    if (!cmd.arg(field).empty()) {
      m.write_serial(arg_error(ErrorCode::wrong_arguments, field));
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
  std::optional<Peer> destination;
  if (sock.kind() == AtSocket::Kind::udp) {
    const auto& stored = sock.udp_peer();
    if (!ip && !stored) {
      m.write_serial(arg_error(ErrorCode::wrong_arguments, 3));
      return;
    }
    if (!port && !stored) {
      m.write_serial(arg_error(ErrorCode::wrong_arguments, 4));
      return;
    }
    destination = Peer{ip ? to_string(*ip) : stored->ip, port ? *port : stored->port};
  } else {
    if (!sock.tcp_connected()) {
      m.write_serial(failure(ErrorCode::not_connected));
      return;
    }
    if (ip || port) {
      m.write_serial(arg_error(ErrorCode::wrong_arguments, ip ? 3 : 4));
      return;
    }
  }
  if (static_cast<std::size_t>(*size) > sock.tx_free()) {
    m.write_serial(failure(ErrorCode::busy, std::nullopt, {std::to_string(sock.tx_free())}));
    return;
  }
  m.write_serial(success('W', 0));
  m.start_data_phase(static_cast<std::size_t>(*size), [&m, destination](Bytes payload) {
    m.socket().send(std::move(payload), destination);
  });
}

void nsock_show(Module& m, const CommandLine&) { m.write_serial(dump(m.socket().describe())); }

void nsock_set(Module& m, const CommandLine& cmd) {
  auto id = number(cmd.arg(1));
  if (!id) {
    m.write_serial(arg_error(ErrorCode::wrong_arguments, 1));
    return;
  }
  if (*id != 0) {
    m.write_serial(arg_error(ErrorCode::out_of_range, 1));
    return;
  }
  m.write_serial(ok(m.socket().describe_fields()));
}

}  // namespace simdev::wiz550s2e
