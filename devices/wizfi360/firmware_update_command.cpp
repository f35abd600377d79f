// AT+CIUPDATE[="url"] (spec §2.3, decision 19): `+CIPUPDATE:1` .. `+CIPUPDATE:4` as the download proceeds
// (see FirmwareDownload), then OK and a reboot with `ready`; a failed download (bad URL, unresolvable host,
// refused, a status other than 200, an image over services.update_max_bytes, no answer within
// services.update_timeout_ms) prints ERROR after the steps it reached. Without a URL the configured
// services.update_url is fetched. The image is discarded; the module's versions stay as configured.
#include "devices/wizfi360/firmware_update.hpp"
#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/services.hpp"

namespace simdev::wizfi360 {
namespace {

constexpr std::size_t kMaxUrlLength = 256;

void ciupdate(Module& m, ServicesState& s, const std::string& url_text) {
  auto url = parse_http_url(url_text);
  net::VirtualNetwork* net = m.network();
  if (!url || !net || !station_online(m)) return m.error();
  m.begin_busy([&s] { s.update.reset(); });
  s.update = std::make_unique<FirmwareDownload>(
      *net, *url, s.config.update_timeout, s.config.update_max_bytes,
      [&m](int step) { m.send("+CIPUPDATE:" + std::to_string(step) + "\r\n"); },
      [&m, &s](bool ok) {
        auto finished = std::move(s.update);  // destroyed when this handler returns
        m.end_busy();
        if (!ok) return m.error();
        m.ok();
        m.reboot();
      });
  s.update->start();
}

}  // namespace

void add_update_command(Module& m, at::CommandTable& t, std::shared_ptr<ServicesState> state) {
  t.add({.name = "+CIUPDATE",
         .set =
             [&m, state](const at::Request& req) {
               auto a = parse_args(req, 1, 1);
               auto url = a ? at::to_string((*a)[0], 1, kMaxUrlLength) : std::nullopt;
               if (!url) return m.error();
               ciupdate(m, *state, *url);
             },
         .execute = [&m, state](const at::Request&) { ciupdate(m, *state, state->config.update_url); }});
}

}  // namespace simdev::wizfi360
