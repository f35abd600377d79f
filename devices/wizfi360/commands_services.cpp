// CIPDOMAIN, CIPDNS_CUR/_DEF, PING, CIPSNTPCFG/CIPSNTPTIME, CIUPDATE: the rows live in services_*.cpp, sntp_*.cpp
// and firmware_update*.cpp; this file builds the family's shared state and drops it at every reset.
#include "devices/wizfi360/firmware_update.hpp"
#include "devices/wizfi360/module.hpp"
#include "devices/wizfi360/services.hpp"
#include "devices/wizfi360/sntp_clock.hpp"

namespace simdev::wizfi360 {

ServicesState::ServicesState(ServicesConfig c) : config(std::move(c)) {}
ServicesState::~ServicesState() = default;

bool station_online(Module& m) { return m.link().got_ip; }

void add_service_commands(Module& m, at::CommandTable& t) {
  const auto& device_config = m.context().config;
  auto state = std::make_shared<ServicesState>(ServicesConfig::from_json(
      device_config.is_object() ? device_config.value("services", nlohmann::json()) : nlohmann::json()));
  state->sntp = std::make_unique<SntpClock>(m, state->config);
  m.add_reset_hook([state] {
    state->lookup.reset();
    state->update.reset();
    state->sntp->reset();
  });
  add_dns_commands(m, t, state);
  add_ping_command(m, t, state);
  add_sntp_commands(m, t, state);
  add_update_command(m, t, state);
}

}  // namespace simdev::wizfi360
