// IO pin commands (manual 3.1.10-3.1.14): SYSIOSETCFG, SYSIOGETCFG, SYSGPIODIR, SYSGPIOWRITE, SYSGPIOREAD.
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {
namespace {

// Parses `pin[,value]` where value is 0/1; nullptr pin when the number is not in the pin table.
struct PinArgs {
  Pin* pin = nullptr;
  long number = 0;
  std::vector<long> values;
};

std::optional<PinArgs> pin_args(Module& m, const at::Request& req, std::size_t values) {
  auto a = parse_args(req, 1 + values, 1 + values);
  if (!a) return std::nullopt;
  PinArgs out;
  auto n = at::to_int((*a)[0], 0, 255);
  if (!n) return std::nullopt;
  out.number = *n;
  out.pin = m.gpio().find(*n);
  if (!out.pin) return std::nullopt;
  for (std::size_t i = 0; i < values; ++i) {
    auto v = at::to_int((*a)[1 + i], 0, 1);
    if (!v) return std::nullopt;
    out.values.push_back(*v);
  }
  return out;
}

}  // namespace

void add_gpio_commands(Module& m, at::CommandTable& t) {
  t.add({.name = "+SYSIOSETCFG", .set = [&m](const at::Request& req) {
           auto p = pin_args(m, req, 2);
           if (!p) return m.error();
           p->pin->mode = p->values[0];
           p->pin->pull_up = p->values[1];
           m.ok();
         }});
  t.add({.name = "+SYSIOGETCFG", .set = [&m](const at::Request& req) {
           auto p = pin_args(m, req, 0);
           if (!p) return m.error();
           m.send("+" + req.name + ":" + std::to_string(p->number) + "," + std::to_string(p->pin->mode) + "," +
                  std::to_string(p->pin->pull_up) + "\r\n\r\nOK\r\n");
         }});
  t.add({.name = "+SYSGPIODIR", .set = [&m](const at::Request& req) {
           auto p = pin_args(m, req, 1);
           if (!p) return m.error();
           if (p->pin->mode != 1) return m.error("NOT GPIO MODE!");
           p->pin->direction = p->values[0];
           m.ok();
         }});
  t.add({.name = "+SYSGPIOWRITE", .set = [&m](const at::Request& req) {
           auto p = pin_args(m, req, 1);
           if (!p) return m.error();
           if (p->pin->mode != 1) return m.error("NOT GPIO MODE!");
           if (p->pin->direction != 1) return m.error("NOT OUTPUT!");
           p->pin->out_level = p->values[0];
           m.ok();
         }});
  t.add({.name = "+SYSGPIOREAD", .set = [&m](const at::Request& req) {
           auto p = pin_args(m, req, 0);
           if (!p) return m.error();
           if (p->pin->mode != 1) return m.error("NOT GPIO MODE!");
           m.send("+" + req.name + ":" + std::to_string(p->number) + "," + std::to_string(p->pin->direction) + "," +
                  std::to_string(p->pin->level()) + "\r\n\r\nOK\r\n");
         }});
}

}  // namespace simdev::wizfi360
