#include "devices/wiz550s2e/wiz550s2e_device.hpp"

#include <boost/asio/post.hpp>

#include "devices/wiz550s2e/command_table.hpp"
#include "devices/wiz550s2e/eeprom_image.hpp"
#include "libsim/store/flash_store.hpp"
#include "libsim/trace/tracer.hpp"

namespace simdev::wiz550s2e {
namespace {

constexpr std::uint16_t kFirstAutoPort = 2000;
constexpr std::size_t kSerialTxRing = 1024;
constexpr std::string_view kAtEntryBanner = "\r\n\r\n\r\n[W,0]\r\n[S,0]\r\n";

serial::UartSettings uart_from(const Settings& s) {
  serial::UartSettings u;
  u.baud = s.baud_rate;
  u.data_bits = s.data_bits;
  u.parity = s.parity == 1 ? serial::Parity::odd : s.parity == 2 ? serial::Parity::even : serial::Parity::none;
  u.stop_bits = s.stop_bits == 2 ? serial::StopBits::two : serial::StopBits::one;
  // 2 (RS-422) and 3 (RS-485) are electrical variants without handshake lines.
  u.flow = s.flow_control == 1 ? serial::FlowControl::rts_cts : serial::FlowControl::none;
  return u;
}

const char* mode_name(int mode) {
  // The bootloader's MAC prompt and its firmware download both show as "bootloader".
  static constexpr const char* kNames[] = {"off", "booting", "data", "at", "hung", "bootloader", "bootloader"};
  return kNames[mode];
}

}  // namespace

Wiz550s2eDevice::Wiz550s2eDevice(DeviceContext context)
    : ctx_(std::move(context)),
      config_(load_device_config(ctx_.config)),
      auto_port_(kFirstAutoPort),
      at_socket_(ctx_.executor, ctx_.net, config_,
                 AtSocket::Hooks{[this](std::string_view text) { write_serial(text); },
                                 [this] { return ctx_.serial->tx_backlog() < kSerialTxRing; },
                                 [this](bool hold) {
                                   if (hold) block_input();
                                   else unblock_input();
                                 }}),
      data_mode_(ctx_.executor, ctx_.net, config_,
                 DataMode::Hooks{
                     [this](ByteView b) { ctx_.serial->write(b); },
                     [this] { return ctx_.serial->tx_backlog(); },
                     [this](serial::Clock::time_point t) { trigger_.note_drain(t); },
                     [this](DataMode::Status s) { settings_.state = static_cast<std::uint8_t>(s); },
                     [this](std::uint16_t port) { settings_.remote_port = port; },
                     [this](bool paused) { ctx_.serial->set_rx_paused(paused); },
                 }),
      trigger_(ctx_.executor, config_.timing,
               TriggerDetector::Hooks{
                   [this](ByteView b, serial::Clock::time_point t) { data_mode_.on_serial(b, t); },
                   [this] { enter_at_mode(); },
                   [this] {
                     bool dropping = settings_.working_mode != WorkingMode::mixed &&
                                     settings_.working_mode != WorkingMode::udp && !data_mode_.connected();
                     if (config_.quirks.trigger_stale_offset_hang && dropping) hang("trigger search offset underflow");
                   },
               }),
      boot_timer_(ctx_.executor),
      dns_timer_(ctx_.executor),
      config_tool_(ctx_.executor, config_tool::load_tool_config(ctx_.config), ctx_.shared_udp, ctx_.net, ctx_.tracer,
                   ctx_.name, ctx_.log, config_tool_hooks()) {
  settings_ = config_.factory;
}

Wiz550s2eDevice::~Wiz550s2eDevice() {
  *alive_ = false;
  stop_everything();
}

// ---- lifecycle ----------------------------------------------------------------------------------------------

void Wiz550s2eDevice::power_on() {
  ctx_.serial->set_tx_drained_handler([this] { on_tx_drained(); });
  restore_config_tool();
  config_tool_.start();
  boot();
}

// The upload record and the downloaded firmware survive a restart of simdev in the flash file; within one run
// the responder's copy is the module's memory (also with a pathless or read-only flash).
void Wiz550s2eDevice::restore_config_tool() {
  if (!ctx_.flash) return;
  try {
    if (auto data = ctx_.flash->load()) config_tool_.restore(*data);
  } catch (const std::exception& e) {
    if (ctx_.log) ctx_.log->warn("flash firmware upload state unusable ({}); ignoring it", e.what());
  }
}

void Wiz550s2eDevice::hardware_reset() {
  ctx_.serial->discard_tx();
  boot();
}

void Wiz550s2eDevice::shutdown() {
  stop_everything();
  config_tool_.stop();
  mode_ = Mode::off;
}

void Wiz550s2eDevice::stop_everything() {
  at_socket_.release();
  data_mode_.stop();
  trigger_.stop();
  boot_timer_.cancel();
  dns_timer_.cancel();
  dns_lookup_.reset();
  data_phase_.reset();
  config_tool_.abort_update();
  input_blocked_ = false;
  blocked_input_.clear();
  reset_pending_ = false;
}

void Wiz550s2eDevice::boot() {
  stop_everything();
  mode_ = Mode::booting;
  line_.clear_line();
  line_.clear_history();
  auto_port_ = kFirstAutoPort;
  load_settings();
  apply_uart_settings();
  if (config_.quirks.bootloader_mac_prompt && BootloaderMacPrompt::guards(settings_.mac)) {
    mode_ = Mode::bootloader;
    mac_prompt_ = BootloaderMacPrompt{};
    write_serial(BootloaderMacPrompt::kPrompt);
    return;
  }
  leave_bootloader();
}

// After the MAC check the bootloader downloads a requested firmware upload, then starts the application.
void Wiz550s2eDevice::leave_bootloader() {
  if (config_tool_.update_pending()) {
    mode_ = Mode::updating;
    config_tool_.run_update(settings_.mac);
    return;
  }
  continue_boot();
}

void Wiz550s2eDevice::continue_boot() {
  live_ = LiveNetwork{false, settings_.local_ip, settings_.subnet, settings_.gateway, settings_.dns_server_ip};
  if (settings_.dhcp_use) start_dhcp();
  else finish_boot();
}

void Wiz550s2eDevice::load_settings() {
  settings_ = config_.factory;
  if (ctx_.flash) {
    try {
      if (auto data = ctx_.flash->load()) settings_ = settings_from_json(*data, config_.factory);
    } catch (const std::exception& e) {
      if (ctx_.log) ctx_.log->warn("flash settings unusable ({}); using factory defaults", e.what());
      settings_ = config_.factory;
    }
  }
  if (needs_factory_defaults(settings_)) {
    // packet_size 0 (e.g. written by a tool's Set): factory defaults with the stored MAC, saved (spec §4.1).
    if (ctx_.log) ctx_.log->info("stored packet_size is {}; loading factory defaults", settings_.packet_size);
    const Mac mac = settings_.mac;
    settings_ = config_.factory;
    settings_.mac = mac;
    save_settings();
  }
  settings_.fw_ver = config_.firmware_version;
  settings_.state = 0;
}

// DHCP is simulated: a configured lease arrives after dhcp_lease_delay; without one the module falls back to
// its static values after dhcp_fallback (the firmware's four failed cycles).
void Wiz550s2eDevice::start_dhcp() {
  live_.dhcp = true;
  bool leased = config_.dhcp_lease.has_value();
  boot_timer_.expires_after(leased ? config_.timing.dhcp_lease_delay : config_.timing.dhcp_fallback);
  std::weak_ptr<bool> alive = alive_;
  boot_timer_.async_wait([this, alive, leased](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    if (leased) {
      const DhcpLease& l = *config_.dhcp_lease;
      live_ = LiveNetwork{true, l.ip, l.subnet, l.gateway, l.dns};
      settings_.local_ip = l.ip;
      settings_.subnet = l.subnet;
      settings_.gateway = l.gateway;
      settings_.dns_server_ip = l.dns;
    }
    if (mode_ == Mode::booting) finish_boot();
  });
}

void Wiz550s2eDevice::finish_boot() {
  if (settings_.dns_use && !settings_.dns_domain_name.empty()) {
    resolve_name(settings_.dns_domain_name, [this](std::optional<Ip4> ip) {
      if (ip) settings_.remote_ip = *ip;
      if (mode_ == Mode::booting) start_data_engine();
    });
    return;
  }
  start_data_engine();
}

void Wiz550s2eDevice::start_data_engine() {
  mode_ = Mode::data;
  data_mode_.start(settings_);
  trigger_.start(settings_.serial_command, settings_.serial_trigger, serial::Clock::now());
}

void Wiz550s2eDevice::enter_at_mode() {
  data_mode_.stop();
  data_mode_.clear_serial();
  ctx_.serial->discard_rx();
  ctx_.serial->discard_tx();
  mode_ = Mode::at;
  settings_.state = 0;
  line_.clear_line();
  write_serial(kAtEntryBanner);
  if (ctx_.tracer) ctx_.tracer->event(ctx_.name, "at_mode", {{"cause", "trigger"}});
}

void Wiz550s2eDevice::enter_data_mode() {
  at_socket_.release();
  data_phase_.reset();
  line_.clear_line();
  ctx_.serial->discard_rx();
  ctx_.serial->discard_tx();
  write_serial(std::string_view("[S]\r\n"));
  start_data_engine();
}

void Wiz550s2eDevice::reset_after_output() {
  mode_ = Mode::booting;  // the rest of the input is lost with the reset
  if (ctx_.serial->tx_backlog() == 0) {
    std::weak_ptr<bool> alive = alive_;
    boost::asio::post(ctx_.executor, [this, alive] {
      if (!alive.expired()) boot();
    });
  } else {
    reset_pending_ = true;
  }
}

void Wiz550s2eDevice::hang(std::string_view reason) {
  if (ctx_.log) ctx_.log->warn("module hangs (quirk): {}", reason);
  stop_everything();
  mode_ = Mode::hung;
}

void Wiz550s2eDevice::on_tx_drained() {
  if (reset_pending_) {
    reset_pending_ = false;
    boot();
    return;
  }
  at_socket_.resume_reading();
  data_mode_.on_serial_drained();
}

// ---- serial input --------------------------------------------------------------------------------------------

void Wiz550s2eDevice::on_serial_rx(const serial::RxChunk& chunk) {
  std::size_t i = 0;
  while (i < chunk.bytes.size()) {
    switch (mode_) {
      case Mode::data:
        i += trigger_.on_bytes(chunk, i);
        if (i == chunk.bytes.size() && mode_ == Mode::data) trigger_.end_of_chunk();
        break;
      case Mode::at:
        if (input_blocked_) {
          blocked_input_.insert(blocked_input_.end(), chunk.bytes.begin() + static_cast<long>(i), chunk.bytes.end());
          return;
        }
        at_byte(chunk.bytes[i++]);
        if (mode_ != Mode::at) return;  // AT+MDATA / AT+MRST flushed the rest
        break;
      case Mode::bootloader:
        bootloader_byte(chunk.bytes[i++]);
        break;
      default: return;
    }
  }
}

void Wiz550s2eDevice::at_bytes(ByteView bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (mode_ != Mode::at) return;
    if (input_blocked_) {
      blocked_input_.insert(blocked_input_.end(), bytes.begin() + static_cast<long>(i), bytes.end());
      return;
    }
    at_byte(bytes[i]);
  }
}

void Wiz550s2eDevice::at_byte(std::uint8_t byte) {
  if (data_phase_) {
    data_phase_->payload.push_back(byte);
    if (--data_phase_->remaining == 0) {
      DataPhase done = std::move(*data_phase_);
      data_phase_.reset();
      done.done(std::move(done.payload));
    }
    return;
  }
  if (auto line = line_.feed(byte)) run_command_line(*this, *line, line_.previous_line());
}

void Wiz550s2eDevice::unblock_input() {
  input_blocked_ = false;
  std::weak_ptr<bool> alive = alive_;
  boost::asio::post(ctx_.executor, [this, alive] {
    if (alive.expired() || input_blocked_) return;
    Bytes queued;
    queued.swap(blocked_input_);
    at_bytes(queued);
  });
}

void Wiz550s2eDevice::start_data_phase(std::size_t size, std::function<void(Bytes)> done) {
  data_phase_ = DataPhase{size, {}, std::move(done)};
  data_phase_->payload.reserve(size);
}

// ---- Module services -----------------------------------------------------------------------------------------

void Wiz550s2eDevice::write_serial(std::string_view text) { ctx_.serial->write(as_bytes(text)); }

void Wiz550s2eDevice::apply_network_settings() {
  bool was_dhcp = live_.dhcp;
  live_ = LiveNetwork{settings_.dhcp_use, settings_.local_ip, settings_.subnet, settings_.gateway,
                      settings_.dns_server_ip};
  if (settings_.dhcp_use && !was_dhcp) start_dhcp();
}

void Wiz550s2eDevice::apply_uart_settings() {
  // The UART driver only knows 7 and 8 data bits and writes the coerced value back.
  if (settings_.data_bits != 7) settings_.data_bits = 8;
  ctx_.serial->apply_settings(uart_from(settings_));
}

void Wiz550s2eDevice::save_settings() {
  if (!ctx_.flash) return;
  Settings stored = settings_;
  stored.state = 0;
  nlohmann::json data = to_json(stored);
  config_tool_.persist(data);
  try {
    ctx_.flash->save(data);
  } catch (const std::exception& e) {
    if (ctx_.log) ctx_.log->error("saving settings failed: {}", e.what());
  }
}

// The bootloader stores the typed MAC together with factory defaults, then starts the application.
void Wiz550s2eDevice::bootloader_byte(std::uint8_t byte) {
  std::string echo;
  const auto mac = mac_prompt_.on_byte(byte, echo);
  write_serial(echo);
  if (!mac) return;
  settings_ = config_.factory;
  settings_.mac = *mac;
  settings_.fw_ver = config_.firmware_version;
  save_settings();
  write_serial(BootloaderMacPrompt::kDone);
  mode_ = Mode::booting;
  leave_bootloader();
}

void Wiz550s2eDevice::bump_auto_port() { auto_port_ = auto_port_ == 65535 ? kFirstAutoPort : auto_port_ + 1; }

void Wiz550s2eDevice::resolve_name(const std::string& name, std::function<void(std::optional<Ip4>)> done) {
  auto finish = std::make_shared<std::function<void(std::optional<Ip4>)>>(std::move(done));
  std::weak_ptr<bool> alive = alive_;
  auto complete = [this, alive, finish](std::optional<Ip4> ip) {
    if (alive.expired() || !*finish) return;
    dns_timer_.cancel();
    auto f = std::exchange(*finish, nullptr);
    boost::asio::post(ctx_.executor, [this, alive] {
      if (!alive.expired()) dns_lookup_.reset();
    });
    f(ip);
  };
  if (!ctx_.net || name.empty()) {
    boost::asio::post(ctx_.executor, [complete] { complete(std::nullopt); });
    return;
  }
  dns_timer_.expires_after(config_.timing.dns_timeout);
  dns_timer_.async_wait([complete](const boost::system::error_code& ec) {
    if (!ec) complete(std::nullopt);
  });
  dns_lookup_ = ctx_.net->resolve(
      name, [this, complete](const boost::system::error_code& ec, const std::vector<boost::asio::ip::address>& addrs) {
        if (ec) {
          complete(std::nullopt);
          return;
        }
        for (const auto& a : addrs) {
          if (!a.is_v4()) continue;
          auto bytes = a.to_v4().to_bytes();
          complete(Ip4{bytes[0], bytes[1], bytes[2], bytes[3]});
          return;
        }
        // No A record: the remote IP stays as it was and is reported unchanged.
        complete(settings_.remote_ip);
      });
}

// ---- observation ---------------------------------------------------------------------------------------------

nlohmann::json Wiz550s2eDevice::state() const {
  return {
      {"mode", mode_name(static_cast<int>(mode_))},
      {"status", settings_.state},  // 0 disconnected, 1 connected, 2 UDP (the config tool's status byte)
      {"settings", to_json(settings_)},
      {"live", {{"dhcp", live_.dhcp}, {"ip", to_string(live_.ip)}, {"subnet", to_string(live_.subnet)},
                {"gateway", to_string(live_.gateway)}, {"dns", to_string(live_.dns)}}},
      {"at_socket", at_socket_.describe()},
      {"data", data_mode_.state()},
      {"auto_port", auto_port_},
      {"config_tool", config_tool_.state()},
  };
}

std::optional<nlohmann::json> Wiz550s2eDevice::control(const nlohmann::json& request) {
  const std::string op = request.value("op", std::string());
  if (op == "eeprom_image") return nlohmann::json{{"ok", true}, {"image", hex_bytes(to_image(settings_))}};
  if (op == "firmware_image") return config_tool_.firmware_image();
  return std::nullopt;
}

nlohmann::json Wiz550s2eDevice::listeners() const {
  nlohmann::json list = ctx_.net ? ctx_.net->listeners() : nlohmann::json::array();
  if (auto tool = config_tool_.listener(); !tool.is_null()) list.push_back(std::move(tool));
  return list;
}

// ---- configuration tool --------------------------------------------------------------------------------------

// The module answers while its firmware runs (also during boot-time DHCP/DNS), not while hung, off or stopped
// at the bootloader's MAC prompt.
std::optional<Settings> Wiz550s2eDevice::config_tool_view() const {
  if (mode_ != Mode::data && mode_ != Mode::at && mode_ != Mode::booting) return std::nullopt;
  Settings view = settings_;
  view.local_ip = live_.ip;
  view.gateway = live_.gateway;
  view.subnet = live_.subnet;
  view.dns_server_ip = live_.dns;
  return view;
}

void Wiz550s2eDevice::reboot_soon() {
  stop_everything();
  mode_ = Mode::booting;
  std::weak_ptr<bool> alive = alive_;
  boost::asio::post(ctx_.executor, [this, alive] {
    if (!alive.expired()) boot();
  });
}

config_tool::Service::Hooks Wiz550s2eDevice::config_tool_hooks() {
  config_tool::Service::Hooks h;
  h.current = [this] { return config_tool_view(); };
  h.apply_settings = [this](const Settings& s) {
    settings_ = s;
    settings_.state = 0;
    save_settings();
    reboot_soon();
  };
  h.factory_reset = [this] {
    const Mac mac = settings_.mac;
    settings_ = config_.factory;
    settings_.mac = mac;
    save_settings();
    reboot_soon();
  };
  h.reset = [this] { reboot_soon(); };
  // D1 reloads the stored copy but keeps the network identity in use (e.g. a DHCP lease); the responder then
  // saves it with the upload record and resets into the bootloader.
  h.reload_stored_settings = [this] {
    const Settings running = settings_;
    load_settings();
    settings_.mac = running.mac;
    settings_.local_ip = live_.ip;
    settings_.gateway = live_.gateway;
    settings_.subnet = live_.subnet;
  };
  h.save = [this] { save_settings(); };
  h.start_application = [this] {
    mode_ = Mode::booting;
    continue_boot();
  };
  return h;
}

}  // namespace simdev::wiz550s2e
