// System commands (manual 3.1): AT, ATE, RST, ABORT, GMR, GSLP, RESTORE, UART_CUR/_DEF, SLEEP.
#include <algorithm>

#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr long kBaudRates[] = {2000000, 1500000, 1000000, 921600, 460800, 230400, 115200, 57600, 38400,
                               19200,   14400,   9600,    4800,   2400,   1800,   1200,   600};

std::optional<UartConfig> parse_uart(const at::Request& req) {
  auto a = parse_args(req, 5, 5);
  if (!a) return std::nullopt;
  auto baud = at::to_int((*a)[0], 600, 2000000);
  auto data = at::to_int((*a)[1], 5, 8);
  auto stop = at::to_int((*a)[2], 1, 2);
  auto parity = at::to_int((*a)[3], 0, 2);
  auto flow = at::to_int((*a)[4], 0, 3);  // the manual lists 0/1; clients send 0..3 (§1.1)
  if (!baud || !data || !stop || !parity || !flow) return std::nullopt;
  if (std::find(std::begin(kBaudRates), std::end(kBaudRates), *baud) == std::end(kBaudRates)) return std::nullopt;
  return UartConfig{*baud, *data, *stop, *parity, *flow};
}

std::string uart_fields(const UartConfig& u) {
  return std::to_string(u.baud) + "," + std::to_string(u.data_bits) + "," + std::to_string(u.stop_bits) + "," +
         std::to_string(u.parity) + "," + std::to_string(u.flow);
}

}  // namespace

void add_system_commands(Module& m, at::CommandTable& t) {
  t.add({.name = "", .execute = [&m](const at::Request&) { m.ok(); }});
  t.add({.name = "E0", .execute = [&m](const at::Request&) {
           m.echo() = false;
           m.ok();
         }});
  t.add({.name = "E1", .execute = [&m](const at::Request&) {
           m.echo() = true;
           m.ok();
         }});
  t.add({.name = "+RST",
         .execute =
             [&m](const at::Request&) {
               m.ok();
               m.reboot();
             },
         .allowed_while_busy = true});
  t.add({.name = "+ABORT",
         .execute =
             [&m](const at::Request&) {
               m.abort_busy();
               m.ok();
             },
         .allowed_while_busy = true});
  t.add({.name = "+GMR", .execute = [&m](const at::Request&) {
           const Versions& v = m.config().versions;
           m.send("AT version:" + v.at + "\r\nSDK version:" + v.sdk + "\r\ncompile time:" + v.compile_time +
                  "\r\n\r\nOK\r\n");
         }});
  t.add({.name = "+GSLP", .set = [&m](const at::Request& req) {
           auto a = parse_args(req, 1, 1);
           auto ms = a ? at::to_int((*a)[0], 1000, 65535) : std::nullopt;
           if (!ms) return m.error();
           m.ok();
           m.deep_sleep(Millis(static_cast<long>(static_cast<double>(*ms) * m.config().timing.sleep_scale)));
         }});
  auto restore = [&m](long type) {
    m.write_flash_only([&m, type](Settings& s) {
      if (type == 1) {
        s = m.config().factory;
      } else {
        s.sta_mac = m.config().factory.sta_mac;
      }
    });
    m.ok();
    m.reboot();
  };
  t.add({.name = "+RESTORE",
         .set =
             [&m, restore](const at::Request& req) {
               auto a = parse_args(req, 1, 1);
               auto type = a ? at::to_int((*a)[0], 0, 1) : std::nullopt;
               if (!type) return m.error();
               restore(*type);
             },
         .execute = [restore](const at::Request&) { restore(0); }});
  for (const char* name : {"+UART_CUR", "+UART_DEF"}) {
    t.add({.name = name,
           .query =
               [&m](const at::Request& req) {
                 const UartConfig& u = reads_flash(req) ? m.flash().uart : m.current().uart;
                 m.send("+" + req.name + ":" + uart_fields(u) + "\r\n\r\nOK\r\n");
               },
           .set =
               [&m](const at::Request& req) {
                 auto uart = parse_uart(req);
                 if (!uart) return m.error();
                 m.ok();  // at the old rate; the link switches once this has drained
                 m.write(layer_of(req), [&](Settings& s) { s.uart = *uart; });
                 m.apply_uart(*uart);
               }});
  }
  t.add({.name = "+SLEEP",
         .query = [&m](const at::Request& req) { m.send("+" + req.name + ":" + std::to_string(m.sleep_mode()) + "\r\n\r\nOK\r\n"); },
         .set =
             [&m](const at::Request& req) {
               auto a = parse_args(req, 1, 1);
               auto mode = a ? at::to_int((*a)[0], 0, 2) : std::nullopt;
               if (!mode) return m.error();
               m.sleep_mode() = *mode;
               m.ok();
             }});
}

}  // namespace simdev::wizfi360
