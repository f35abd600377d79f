// The TCP server (manual 3.3.16, 3.3.17, 3.3.20; spec §2.3): CIPSERVER, CIPSERVERMAXCONN, CIPSTO. Accepting,
// id assignment and the idle timeout live in Links; these rows only read and change its settings.
#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/module.hpp"
#include "libsim/net/virtual_network.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr long kDefaultServerPort = 333;

void cipserver(Module& m, const at::Request& req) {
  Links& links = m.links();
  auto a = parse_args(req, 1, 2);
  auto mode = a ? at::to_int((*a)[0], 0, 1) : std::nullopt;
  if (!mode) return m.error();
  long port = kDefaultServerPort;
  if (a->size() == 2) {
    auto p = at::to_int((*a)[1], 1, 65535);
    if (!p) return m.error();
    port = *p;
  }
  if (*mode == 0) {
    links.stop_server();
    return m.ok();
  }
  if (!links.mux()) return m.error("MUX=0");
  if (links.server_running()) return links.server_port() == port ? m.no_change() : m.error();
  boost::system::error_code ec;
  if (!links.start_server(static_cast<std::uint16_t>(port), ec)) {
    if (m.context().log) m.context().log->warn("CIPSERVER: cannot listen on device port {}: {}", port, ec.message());
    return m.error();
  }
  m.ok();
}

// A RAM setting with `+NAME:<n>` query and a range-checked set.
at::CommandRow number_row(Module& m, std::string name, long min, long max, long& (*field)(Links&)) {
  return {.name = name,
          .query = [&m, name, field](const at::Request&) {
            m.send(name + ":" + std::to_string(field(m.links())) + "\r\n\r\nOK\r\n");
          },
          .set = [&m, min, max, field](const at::Request& req) {
            auto a = parse_args(req, 1, 1);
            auto value = a ? at::to_int((*a)[0], min, max) : std::nullopt;
            if (!value) return m.error();
            field(m.links()) = *value;
            m.ok();
          }};
}

}  // namespace

void add_server_commands(Module& m, at::CommandTable& t) {
  t.add({.name = "+CIPSERVER", .set = [&m](const at::Request& req) { cipserver(m, req); }});
  t.add(number_row(m, "+CIPSERVERMAXCONN", 1, 4, [](Links& l) -> long& { return l.server_settings().max_conn; }));
  t.add(number_row(m, "+CIPSTO", 0, 7200, [](Links& l) -> long& { return l.server_settings().timeout_s; }));
}

}  // namespace simdev::wizfi360
