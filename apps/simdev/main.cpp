// simdev command line: flags + config file -> Runtime, the `simdev ctl` control-plane client and the
// `simdev wizcfg` configuration tool (its logic lives in wizcfg*.cpp; only the flags are declared here).
// The only translation unit that includes CLI11 (it costs seconds per TU).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "apps/simdev/device_kinds.hpp"
#include "apps/simdev/help_text.hpp"
#include "apps/simdev/wizcfg.hpp"
#include "libsim/config/config_error.hpp"
#include "libsim/config/config_loader.hpp"
#include "libsim/control/control_client.hpp"
#include "libsim/runtime/exit_codes.hpp"
#include "libsim/runtime/runtime.hpp"

namespace {

using namespace simdev;

// Copies a string option into an optional only when the user gave it.
void take(const CLI::Option* option, const std::string& value, std::optional<std::string>& out) {
  if (option->count() > 0) out = value;
}

int run_ctl(const std::string& endpoint_spec, const std::vector<std::string>& words, int timeout_ms) {
  control::ControlEndpoint endpoint;
  try {
    endpoint = control::ControlEndpoint::parse(endpoint_spec);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "simdev ctl: --control: %s\n", e.what());
    return exit_usage;
  }
  const std::string request = apps::ctl_request(words);
  if (request.empty()) {
    std::fprintf(stderr, "simdev ctl: expected a JSON request or an op (state, reset, shutdown, ping) [device]\n");
    return exit_usage;
  }
  try {
    const std::string reply = control::send_request(endpoint, request, std::chrono::milliseconds(timeout_ms));
    std::printf("%s\n", reply.c_str());
    const auto parsed = nlohmann::json::parse(reply, nullptr, false);
    return parsed.is_object() && parsed.value("ok", false) ? exit_ok : exit_failure;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "simdev ctl: %s\n", e.what());
    return exit_failure;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"simdev: software twin of the WIZnet WizFi360 and WIZ550S2E serial modules", "simdev"};
  app.set_version_flag("--version", "simdev " SIMDEV_VERSION);
  app.footer(apps::help_examples());

  config::Overrides o;
  std::string device, name, serial, flash, timing, log_level, control_spec, trace, ready_file, pid_file, config_file;
  const auto* device_opt = app.add_option("--device", device, "Device kind: wizfi360 (default) or wiz550s2e");
  const auto* name_opt = app.add_option("--name", name, "Instance name (default: the kind); names the pty link and flash file");
  const auto* serial_opt = app.add_option("--serial", serial,
                                          "Serial endpoint: pty (default, link ./NAME), pty:LINK, tcp:HOST:PORT, unix:PATH, stdio");
  const auto* flash_opt = app.add_option("--flash", flash, "Flash file (default ./NAME.flash.json; \"\" = memory only)");
  app.add_flag("--flash-reset", o.flash_reset, "Start from factory defaults (the file is replaced on the first save)");
  app.add_flag("--flash-readonly", o.flash_readonly, "Read the flash file but never write it");
  app.add_option("--set", o.sets, "Device setting override KEY.PATH=JSON, e.g. boot_delay_ms=20 (repeatable)");
  app.add_option("--config", config_file, "JSON config file (several devices, network maps...; see docs/CONFIG.md)");
  const auto* timing_opt = app.add_option("--timing", timing, "wire (default: paced at the baud rate) or fast");
  const auto* log_opt = app.add_option("--log-level", log_level, "trace, debug, info (default), warn, error, critical, off");
  const auto* trace_opt = app.add_option("--trace", trace, "Write a JSON-lines trace of serial bytes and socket events");
  const auto* ready_opt = app.add_option("--ready-file", ready_file, "Also write the READY json to this file (atomically)");
  const auto* pid_opt = app.add_option("--pid-file", pid_file, "Write the process id to this file");
  const auto* control_opt = app.add_option("--control", control_spec,
                                           "Control plane: unix:PATH (mode 0600) or tcp:127.0.0.1:PORT (default: none)");

  auto* ctl = app.add_subcommand("ctl", "Send one request to a running simdev's control plane and print the reply");
  std::string ctl_endpoint;
  std::vector<std::string> ctl_words;
  int ctl_timeout_ms = 5000;
  ctl->add_option("--control", ctl_endpoint, "Control endpoint of the running simdev")->required()->envname("SIMDEV_CONTROL");
  ctl->add_option("--timeout-ms", ctl_timeout_ms, "How long to wait for the reply (default 5000)");
  ctl->add_option("request", ctl_words, "A JSON request, or an op name (state, reset, shutdown, ping) and a device name")
      ->required();
  ctl->footer(apps::ctl_examples());

  auto* wizcfg = app.add_subcommand("wizcfg", "WIZ550S2E configuration tool (UDP 6550 protocol): search, get, set, "
                                              "reset, factory-reset, upload");
  apps::wizcfg::Options wizcfg_options;
  wizcfg->add_option("--target", wizcfg_options.target, "HOST:PORT of the modules' configuration port (default 127.0.0.1:6550)");
  wizcfg->add_option("--timeout", wizcfg_options.timeout_ms, "Milliseconds to wait for replies (default 1000)");
  wizcfg->add_flag("--json", wizcfg_options.json, "Print JSON instead of tables");
  const auto* wizcfg_password = wizcfg->add_option("--password", wizcfg_options.password, "The module's setting password");
  wizcfg->add_option("--tftp", wizcfg_options.tftp, "upload: TFTP server IPv4 address as the module sees it");
  wizcfg->add_option("command", wizcfg_options.words, "search | get MAC | set MAC FIELD=VALUE... | reset MAC | "
                                                      "factory-reset MAC | upload MAC FILE")
      ->required();
  wizcfg->footer(apps::wizcfg::usage_footer());

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help/version (code 0) or the error naming the flag
    return code == 0 ? exit_ok : exit_usage;
  }
  if (ctl->parsed()) return run_ctl(ctl_endpoint, ctl_words, ctl_timeout_ms);
  if (wizcfg->parsed()) {
    wizcfg_options.password_given = wizcfg_password->count() > 0;
    return apps::wizcfg::run(wizcfg_options);
  }

  take(device_opt, device, o.device);
  take(name_opt, name, o.name);
  take(serial_opt, serial, o.serial);
  take(flash_opt, flash, o.flash);
  take(timing_opt, timing, o.timing);
  take(log_opt, log_level, o.log_level);
  take(trace_opt, trace, o.trace);
  take(ready_opt, ready_file, o.ready_file);
  take(pid_opt, pid_file, o.pid_file);
  take(control_opt, control_spec, o.control);

  config::RuntimeConfig rc;
  try {
    const nlohmann::json user = config_file.empty() ? nlohmann::json() : config::read_config_file(config_file);
    rc = config::build_config(user, o, apps::device_kinds());
  } catch (const config::ConfigError& e) {
    std::fprintf(stderr, "simdev: %s\n", e.what());
    return exit_usage;
  }
  runtime::Runtime runtime(std::move(rc), apps::device_kinds());
  return runtime.run();
}
