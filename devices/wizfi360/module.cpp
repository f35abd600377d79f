#include "devices/wizfi360/module.hpp"

#include <algorithm>

#include "devices/wizfi360/links.hpp"
#include "devices/wizfi360/netconfig_page.hpp"
#include "devices/wizfi360/provisioning.hpp"
#include "libsim/store/flash_store.hpp"
#include "libsim/trace/tracer.hpp"

namespace simdev::wizfi360 {

Layer layer_of(const at::Request& req) {
  return req.name.ends_with("_CUR") ? Layer::current : Layer::both;
}

bool reads_flash(const at::Request& req) { return req.name.ends_with("_DEF"); }

std::optional<at::Args> parse_args(const at::Request& req, std::size_t min_count, std::size_t max_count) {
  auto args = at::split_args(req.args);
  if (!args || args->size() < min_count || args->size() > max_count) return std::nullopt;
  return args;
}

void add_layered(at::CommandTable& t, const std::string& base, bool legacy, const at::CommandRow& prototype) {
  for (const char* suffix : {"", "_CUR", "_DEF"}) {
    if (!legacy && *suffix == '\0') continue;
    at::CommandRow row = prototype;
    row.name = base + suffix;
    t.add(std::move(row));
  }
}

Module::Module(DeviceContext ctx, Config config)
    : ctx_(std::move(ctx)), config_(std::move(config)), lines_(config_.max_line) {
  for (auto& t : timers_) t.emplace(ctx_.executor);
  world_ = RadioWorld::from_json(config_.world);
  links_ = std::make_unique<Links>(*this, ctx_.net,
                                   LinkTiming::from_json(ctx_.config.is_object() ? ctx_.config.value("tcpip", nlohmann::json())
                                                                                 : nlohmann::json()));
  flash_ = config_.factory;
  current_ = flash_;
  add_system_commands(*this, table_);
  add_gpio_commands(*this, table_);
  add_station_commands(*this, table_);
  add_softap_commands(*this, table_);
  add_ip_commands(*this, table_);
  add_provisioning_commands(*this, table_);
  add_tcpip_commands(*this, table_);
  add_server_commands(*this, table_);
  add_sendbuf_commands(*this, table_);
  add_passthrough_commands(*this, table_);
  add_service_commands(*this, table_);
  add_ssl_commands(*this, table_);
  add_mqtt_commands(*this, table_);
  add_cloud_commands(*this, table_);
  add_control_ops(*this);
}

Module::~Module() { stop_web_page(); }

// ---------------------------------------------------------------- power

void Module::power_on() {
  load_flash();
  boot();
}

void Module::hardware_reset() {
  ctx_.serial->discard_tx();
  boot();
}

void Module::shutdown() {
  stop_web_page();
  for (auto& hook : reset_hooks_) hook();
  links_->reset();
  ++epoch_;
  for (auto& t : timers_) t->cancel();
  power_ = Power::off;
}

void Module::reboot() { boot(); }

void Module::boot() {
  ++epoch_;
  for (auto& t : timers_) t->cancel();
  power_ = Power::booting;
  ctx_.serial->discard_rx();
  lines_.reset();
  echo_ = true;
  busy_ = false;
  abort_hook_ = nullptr;
  busy_allowed_.clear();
  sleep_mode_ = config_.factory_sleep_mode;
  lap_options_ = LapOptions{};
  gpio_.reset();
  softap_stations_.clear();
  link_ = StationLink{};
  provisioning_ = Provisioning::none;
  stop_web_page();
  for (auto& hook : reset_hooks_) hook();
  links_->reset();
  raw_input_ = nullptr;
  sending_ = false;
  current_ = flash_;
  hostname_ = default_device_name(current_.sta_mac);
  apply_uart(current_.uart);
  after(TimerSlot::power, config_.timing.boot, [this] {
    power_ = Power::on;
    if (config_.noise_byte) send(std::string_view(reinterpret_cast<const char*>(&config_.noise_value), 1));
    send("\r\nready\r\n");
    station_wanted_ = current_.station_ap.has_value();
    if (current_.autoconnect) start_autoconnect(Millis(0));
    for (auto& hook : ready_hooks_) hook();
  });
}

void Module::deep_sleep(Millis duration) {
  stop_web_page();
  for (auto& hook : reset_hooks_) hook();
  links_->reset();
  raw_input_ = nullptr;
  sending_ = false;
  ++epoch_;
  for (auto& t : timers_) t->cancel();
  power_ = Power::asleep;
  ctx_.serial->discard_rx();
  lines_.reset();
  after(TimerSlot::power, duration, [this] { boot(); });
}

void Module::apply_uart(const UartConfig& u) {
  serial::UartSettings s = ctx_.serial->settings();
  s.baud = static_cast<std::uint32_t>(u.baud);
  s.data_bits = static_cast<std::uint8_t>(u.data_bits);
  s.stop_bits = u.stop_bits == 2 ? serial::StopBits::two : serial::StopBits::one;
  s.parity = u.parity == 1 ? serial::Parity::odd : u.parity == 2 ? serial::Parity::even : serial::Parity::none;
  static constexpr serial::FlowControl kFlow[] = {serial::FlowControl::none, serial::FlowControl::rts,
                                                  serial::FlowControl::cts, serial::FlowControl::rts_cts};
  s.flow = kFlow[std::clamp(u.flow, 0L, 3L)];
  if (!(s == ctx_.serial->settings())) ctx_.serial->apply_settings(s);
}

// ---------------------------------------------------------------- timers

void Module::after(TimerSlot slot, Millis delay, std::function<void()> fn) {
  auto& timer = *timers_[static_cast<std::size_t>(slot)];
  timer.cancel();
  timer.expires_after(delay);
  unsigned epoch = epoch_;
  timer.async_wait([this, epoch, fn = std::move(fn)](const boost::system::error_code& ec) {
    if (ec || epoch != epoch_) return;
    fn();
  });
}

void Module::cancel(TimerSlot slot) { timers_[static_cast<std::size_t>(slot)]->cancel(); }

// ---------------------------------------------------------------- serial in

void Module::send(std::string_view bytes) { ctx_.serial->write(as_bytes(bytes)); }

void Module::error(std::string_view reason) {
  std::string out(reason);
  out += "\r\n\r\nERROR\r\n";
  send(out);
}

void Module::line(std::string_view text) {
  std::string out(text);
  out += "\r\n";
  send(out);
}

serial::Clock::time_point Module::arrival_of(const std::uint8_t* p) const {
  if (!rx_chunk_ || p < rx_chunk_->bytes.data() || p >= rx_chunk_->bytes.data() + rx_chunk_->bytes.size())
    return serial::Clock::now();
  return rx_chunk_->arrival(static_cast<std::size_t>(p - rx_chunk_->bytes.data()));
}

void Module::on_serial_rx(const serial::RxChunk& chunk) {
  if (power_ != Power::on) return;  // booting or asleep: the module hears nothing
  rx_chunk_ = &chunk;
  struct Forget {
    const serial::RxChunk*& p;
    ~Forget() { p = nullptr; }
  } forget{rx_chunk_};
  ByteView bytes = chunk.bytes;
  std::size_t echo_from = 0;
  unsigned epoch = epoch_;
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (raw_input_) {
      if (echo_ && echo_from < i) ctx_.serial->write(bytes.subspan(echo_from, i - echo_from));
      auto hook = raw_input_;  // the hook may clear itself
      std::size_t used = hook(bytes.subspan(i));
      // A hook that handed over (cleared itself, e.g. after `+++`) may leave the byte to the line assembler.
      if (used == 0 && raw_input_) used = 1;
      i += used;
      echo_from = i;
      if (epoch != epoch_) return;
      continue;
    }
    auto event = lines_.push(bytes[i++]);
    if (event == at::LineAssembler::Event::none) continue;
    if (echo_) ctx_.serial->write(bytes.subspan(echo_from, i - echo_from));
    echo_from = i;
    if (event == at::LineAssembler::Event::overflow) {
      error();
      continue;
    }
    handle_line(lines_.take_line());
    if (epoch != epoch_) return;  // the line rebooted or slept the module: the rest of the chunk is lost
  }
  if (echo_ && echo_from < bytes.size()) ctx_.serial->write(bytes.subspan(echo_from));
}

void Module::handle_line(std::string line) {
  if (line.empty()) return;
  ++lines_seen_;
  if (ctx_.tracer) ctx_.tracer->event(ctx_.name, "at_command", {{"line", line}});
  auto req = at::parse_request(line, config_.accept_lower_at);
  if (sending_) {
    send("\r\nbusy s...\r\n");
    return;
  }
  if (busy_) {
    bool allowed = false;
    if (req) {
      std::string key = at::table_key(*req);
      const at::CommandRow* row = table_.find(key);
      allowed = (row && row->allowed_while_busy) ||
                std::find(busy_allowed_.begin(), busy_allowed_.end(), key) != busy_allowed_.end();
    }
    if (!allowed) {
      send("\r\nbusy p...\r\n");
      return;
    }
  }
  if (!req) {
    error();
    return;
  }
  dispatch(*req);
}

void Module::dispatch(const at::Request& req) {
  const at::CommandRow* row = table_.find(at::table_key(req));
  if (!row) {
    error();
    return;
  }
  const at::Handler& h = row->handler(req.form);
  if (!h) {
    // A command without a test form answers OK to `=?` (§1.3); other missing forms are errors.
    if (req.form == at::Form::test && (row->set || row->query || row->execute)) {
      ok();
    } else {
      error();
    }
    return;
  }
  h(req);
}

// ---------------------------------------------------------------- busy

void Module::begin_busy(std::function<void()> on_abort, std::vector<std::string> also_allowed) {
  busy_ = true;
  abort_hook_ = std::move(on_abort);
  busy_allowed_ = std::move(also_allowed);
}

void Module::end_busy() {
  busy_ = false;
  abort_hook_ = nullptr;
  busy_allowed_.clear();
}

bool Module::abort_busy() {
  if (!busy_) return false;
  auto hook = std::move(abort_hook_);
  end_busy();
  if (hook) hook();
  return true;
}

// ---------------------------------------------------------------- settings

void Module::write(Layer layer, const std::function<void(Settings&)>& edit) {
  edit(current_);
  if (layer == Layer::both) {
    edit(flash_);
    save_flash();
  }
}

void Module::write_flash_only(const std::function<void(Settings&)>& edit) {
  edit(flash_);
  save_flash();
}

void Module::save_flash() {
  if (!ctx_.flash) return;
  try {
    ctx_.flash->save({{"settings", to_json(flash_)}});
  } catch (const std::exception& e) {
    if (ctx_.log) ctx_.log->error("flash write failed: {}", e.what());
  }
}

void Module::load_flash() {
  flash_ = config_.factory;
  if (!ctx_.flash) return;
  try {
    auto data = ctx_.flash->load();
    if (data && data->contains("settings")) flash_ = settings_from_json(data->at("settings"), config_.factory);
  } catch (const std::exception& e) {
    if (ctx_.log) ctx_.log->warn("flash contents unusable, using factory defaults: {}", e.what());
    flash_ = config_.factory;
  }
}

// ---------------------------------------------------------------- web page

bool Module::start_web_page(std::string& error) {
  if (!ctx_.net) return true;
  if (!web_page_) {
    web_page_ = std::make_unique<NetconfigPage>(*ctx_.net, default_device_name(current_.sta_mac),
                                                [this](const std::string& ssid, const std::string& password) {
                                                  if (provisioning_ == Provisioning::netconfig)
                                                    deliver_credentials(*this, ssid, password);
                                                });
  }
  return web_page_->start(static_cast<std::uint16_t>(config_.netconfig_port), error);
}

void Module::stop_web_page() {
  if (web_page_) web_page_->stop();
}

// ---------------------------------------------------------------- control plane and state

void Module::add_control_op(std::string name, ControlOp op) { control_ops_.emplace(std::move(name), std::move(op)); }

std::optional<nlohmann::json> Module::control(const nlohmann::json& request) {
  auto it = control_ops_.find(request.value("op", std::string()));
  if (it == control_ops_.end()) return std::nullopt;
  try {
    return it->second(request);
  } catch (const std::exception& e) {
    return nlohmann::json{{"ok", false}, {"error", e.what()}};
  }
}

nlohmann::json Module::state() const {
  static constexpr const char* kPower[] = {"booting", "at", "asleep", "off"};
  static constexpr const char* kLink[] = {"idle", "joining", "connected"};
  static constexpr const char* kProvisioning[] = {"none", "smartconfig", "wps", "netconfig"};
  nlohmann::json stations = nlohmann::json::array();
  for (const auto& s : softap_stations_)
    stations.push_back({{"mac", at::format_mac(s.mac)}, {"ip", at::format_ipv4(s.ip)}});
  nlohmann::json station = {{"state", kLink[static_cast<int>(link_.state)]}, {"got_ip", link_.got_ip}};
  if (link_.bssid) station["bssid"] = at::format_mac(*link_.bssid);
  if (link_.got_ip) station["ip"] = at::format_ipv4(link_.ip.ip);
  if (current_.station_ap) station["ssid"] = current_.station_ap->ssid;
  return {{"mode", kPower[static_cast<int>(power_)]},
          {"echo", echo_},
          {"busy", busy_},
          {"wifi_mode", current_.mode},
          {"station", station},
          {"softap", {{"ssid", softap_ssid(current_)}, {"stations", stations}}},
          {"provisioning", kProvisioning[static_cast<int>(provisioning_)]},
          {"netconfig_port", web_page_ && web_page_->host_port() ? nlohmann::json(*web_page_->host_port())
                                                                 : nlohmann::json(nullptr)},
          {"pins", gpio_.to_json()},
          {"settings", {{"current", to_json(current_)}, {"flash", to_json(flash_)}}},
          {"world", world_.to_json()},
          {"tcpip", links_->to_json()},
          {"lines", lines_seen_}};
}

}  // namespace simdev::wizfi360
