#include "apps/simdev/help_text.hpp"

#include <nlohmann/json.hpp>

namespace simdev::apps {

std::string help_examples() {
  return R"(Examples:
  simdev
      WizFi360 on a new pty linked as ./wizfi360 (talk to it: picocom -b 115200 ./wizfi360)
  simdev --device wiz550s2e --serial pty:/tmp/ttyS2E --flash /tmp/s2e.flash.json
      WIZ550S2E on a pty linked as /tmp/ttyS2E, settings kept in /tmp/s2e.flash.json
  simdev --serial tcp:127.0.0.1:0 --timing fast --flash-reset --ready-file ready.json
      serial over TCP on an ephemeral port (see READY / ready.json), memory-speed UART, factory settings
  simdev --control unix:/tmp/simdev.ctl --set boot_delay_ms=20
      with a control socket and a 20 ms boot; then: simdev ctl --control unix:/tmp/simdev.ctl state
  simdev --config configs/examples/lab.json
      several devices in one process (see docs/CONFIG.md)

On start simdev prints one line `SIMDEV READY {json}` on stdout once every endpoint is open.
SIGINT/SIGTERM stop it cleanly. Exit codes: 0 clean, 1 runtime failure, 2 usage/config, 3 endpoint in use.
)";
}

std::string ctl_examples() {
  return R"(Examples:
  simdev ctl --control unix:/tmp/simdev.ctl state
  simdev ctl --control unix:/tmp/simdev.ctl reset wizfi360
  simdev ctl --control tcp:127.0.0.1:7000 '{"op":"state","device":"lab-a"}'
  simdev ctl --control unix:/tmp/simdev.ctl shutdown
Exit codes: 0 reply ok, 1 reply {"ok":false} or no answer, 2 usage.
)";
}

std::string ctl_request(const std::vector<std::string>& words) {
  if (words.empty()) return {};
  if (!words[0].empty() && words[0][0] == '{') {
    std::string text;
    for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    return parsed.is_object() ? parsed.dump() : std::string();
  }
  if (words.size() > 2) return {};
  nlohmann::json request{{"op", words[0]}};
  if (words.size() == 2) request["device"] = words[1];
  return request.dump();
}

}  // namespace simdev::apps
