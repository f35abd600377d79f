#include "libsim/runtime/runtime.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include "libsim/config/config_error.hpp"
#include "libsim/control/control_dispatcher.hpp"
#include "libsim/control/control_server.hpp"
#include "libsim/net/shared_udp_port.hpp"
#include "libsim/runtime/device_slot.hpp"
#include "libsim/runtime/exit_codes.hpp"
#include "libsim/runtime/logging.hpp"
#include "libsim/runtime/readiness.hpp"

namespace simdev::runtime {

namespace asio = boost::asio;

struct Runtime::Impl final : control::ControlTarget {
  Impl(config::RuntimeConfig c, std::vector<const DeviceKind*> k)
      : config(std::move(c)), kinds(std::move(k)), io(1), signals(io, SIGINT, SIGTERM) {}

  int run();
  void build();
  void open();
  void start();
  void announce();
  void shutdown(int code);
  void remove_announcements();

  // ControlTarget
  std::vector<std::string> device_names() const override;
  nlohmann::json state() const override;
  void reset_device(const std::string& name) override;
  std::optional<nlohmann::json> device_control(const std::string& name, const nlohmann::json& request) override;
  void request_shutdown() override;

  DeviceSlot* find(const std::string& name) const;

  config::RuntimeConfig config;
  std::vector<const DeviceKind*> kinds;
  asio::io_context io;
  asio::signal_set signals;
  std::shared_ptr<spdlog::logger> log;
  std::unique_ptr<trace::Tracer> tracer;
  std::unique_ptr<net::SharedUdpPorts> shared_udp;  // before slots: the devices' subscriptions die first
  std::vector<std::unique_ptr<DeviceSlot>> slots;
  std::unique_ptr<control::ControlDispatcher> dispatcher;
  std::unique_ptr<control::ControlServer> control;
  bool wrote_ready_file = false;
  bool wrote_pid_file = false;
  bool stopped = false;
  int exit_code = exit_ok;
};

int Runtime::Impl::run() {
  configure_logging(config.log_level);
  log = make_logger("simdev");
  std::signal(SIGPIPE, SIG_IGN);  // a client vanishing mid-write is an error code, not a death
  try {
    build();
    open();
    start();
    announce();
  } catch (const config::ConfigError& e) {
    log->error("{}", e.what());
    shutdown(exit_usage);
    return exit_code;
  } catch (const serial::EndpointInUse& e) {
    log->error("endpoint in use: {}", e.what());
    shutdown(exit_endpoint_in_use);
    return exit_code;
  } catch (const std::exception& e) {
    log->error("startup failed: {}", e.what());
    shutdown(exit_failure);
    return exit_code;
  }
  for (;;) {
    try {
      io.run();
      break;
    } catch (const std::exception& e) {
      log->error("runtime failure: {}", e.what());
      shutdown(exit_failure);
    }
  }
  return exit_code;
}

void Runtime::Impl::build() {
  if (!config.trace.empty()) {
    try {
      tracer = std::make_unique<trace::Tracer>(config.trace);
    } catch (const std::runtime_error& e) {
      throw config::ConfigError(std::string("--trace: ") + e.what());
    }
  } else {
    tracer = std::make_unique<trace::Tracer>();
  }
  shared_udp = std::make_unique<net::SharedUdpPorts>(io.get_executor(), make_logger("shared-udp"));
  for (std::size_t i = 0; i < config.devices.size(); ++i) {
    const auto& d = config.devices[i];
    const DeviceKind* kind = nullptr;
    for (const DeviceKind* k : kinds) {
      if (k->name == d.kind) kind = k;
    }
    if (kind == nullptr) throw config::ConfigError("config: devices[" + std::to_string(i) + "].kind: unknown device");
    slots.push_back(std::make_unique<DeviceSlot>(io.get_executor(), d, *kind, *tracer, i, shared_udp.get()));
  }
  if (!config.control.empty()) {
    dispatcher = std::make_unique<control::ControlDispatcher>(*this);
    control = std::make_unique<control::ControlServer>(
        io.get_executor(), control::ControlEndpoint::parse(config.control), *dispatcher, *this, make_logger("control"));
  }
}

void Runtime::Impl::open() {
  if (control) control->open();
  for (auto& slot : slots) slot->open();
}

void Runtime::Impl::start() {
  signals.async_wait([this](const boost::system::error_code& ec, int signal_number) {
    if (ec) return;
    log->info("signal {}: shutting down", signal_number);
    shutdown(exit_ok);
  });
  if (control) control->start();
  for (auto& slot : slots) {
    slot->start();
    // A device port bound at power-up whose host port another process holds: the twin cannot run as configured.
    for (const auto& taken : slot->endpoints_in_use()) {
      throw serial::EndpointInUse("device " + slot->name() + ": " + taken + " is taken by another process");
    }
  }
}

void Runtime::Impl::announce() {
  const long pid = static_cast<long>(::getpid());
  std::vector<DeviceReadiness> devices;
  bool stdout_is_serial = false;
  for (const auto& slot : slots) {
    devices.push_back(slot->readiness());
    stdout_is_serial = stdout_is_serial || slot->uses_stdio();
  }
  const nlohmann::json ready = readiness_json(pid, control ? control->endpoint().to_string() : "", devices);

  // Files first: whoever reacts to the stdout line may look for them at once.
  if (!config.pid_file.empty()) {
    write_file_atomically(config.pid_file, std::to_string(pid) + "\n");
    wrote_pid_file = true;
  }
  if (!config.ready_file.empty()) {
    write_file_atomically(config.ready_file, ready.dump() + "\n");
    wrote_ready_file = true;
  }
  const std::string line = ready_line(ready);
  std::FILE* out = stdout_is_serial ? stderr : stdout;  // with --serial stdio, stdout is the UART
  std::fwrite(line.data(), 1, line.size(), out);
  std::fflush(out);
  if (const char* notify = std::getenv("NOTIFY_SOCKET"); notify != nullptr && *notify != '\0') {
    if (!notify_systemd(notify, "READY=1\nMAINPID=" + std::to_string(pid) + "\n")) {
      log->warn("could not notify {}", notify);
    }
  }
  for (const auto& d : devices) log->info("{} ({}) ready: serial {}", d.name, d.kind, d.serial.dump());
}

void Runtime::Impl::shutdown(int code) {
  if (stopped) return;
  stopped = true;
  exit_code = code;
  for (auto& slot : slots) {
    try {
      slot->stop();
    } catch (const std::exception& e) {
      log->error("{}: shutdown: {}", slot->name(), e.what());
      exit_code = exit_code == exit_ok ? exit_failure : exit_code;
    }
  }
  if (control) control->close();
  boost::system::error_code ignored;
  signals.cancel(ignored);
  remove_announcements();
  if (tracer) tracer->flush();
  io.stop();
}

void Runtime::Impl::remove_announcements() {
  std::error_code ec;
  if (wrote_ready_file) std::filesystem::remove(config.ready_file, ec);
  if (wrote_pid_file) std::filesystem::remove(config.pid_file, ec);
  wrote_ready_file = wrote_pid_file = false;
}

DeviceSlot* Runtime::Impl::find(const std::string& name) const {
  for (const auto& slot : slots) {
    if (slot->name() == name) return slot.get();
  }
  return nullptr;
}

std::vector<std::string> Runtime::Impl::device_names() const {
  std::vector<std::string> names;
  for (const auto& slot : slots) names.push_back(slot->name());
  return names;
}

nlohmann::json Runtime::Impl::state() const {
  nlohmann::json devices = nlohmann::json::object();
  for (const auto& slot : slots) devices[slot->name()] = slot->state();
  return {{"pid", static_cast<long>(::getpid())}, {"devices", devices}};
}

void Runtime::Impl::reset_device(const std::string& name) {
  if (DeviceSlot* slot = find(name)) {
    tracer->event(name, "hardware_reset");
    slot->device().hardware_reset();
  }
}

std::optional<nlohmann::json> Runtime::Impl::device_control(const std::string& name, const nlohmann::json& request) {
  DeviceSlot* slot = find(name);
  if (slot == nullptr) return std::nullopt;
  return slot->device().control(request);
}

void Runtime::Impl::request_shutdown() {
  asio::post(io, [this] {
    log->info("control: shutdown requested");
    shutdown(exit_ok);
  });
}

Runtime::Runtime(config::RuntimeConfig config, std::vector<const DeviceKind*> kinds)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(kinds))) {}

Runtime::~Runtime() = default;

int Runtime::run() { return impl_->run(); }

}  // namespace simdev::runtime
