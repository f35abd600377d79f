#include "devices/wiz550s2e/config_tool_service.hpp"

#include <boost/asio/post.hpp>

#include "devices/wiz550s2e/eeprom_image.hpp"
#include "libsim/trace/tracer.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

constexpr std::uint16_t kTftpPort = 69;  // the bootloader ignores the port the tool sends

const char* action_name(Action a) {
  switch (a) {
    case Action::none: return "none";
    case Action::reset: return "reset";
    case Action::apply_settings: return "apply_settings";
    case Action::factory_reset: return "factory_reset";
    case Action::firmware_upload: return "firmware_upload";
  }
  return "?";
}

}  // namespace

Service::Service(boost::asio::any_io_executor executor, ToolConfig config, net::SharedUdpPorts* ports,
                 net::VirtualNetwork* network, trace::Tracer* tracer, std::string device_name,
                 std::shared_ptr<spdlog::logger> log, Hooks hooks)
    : executor_(std::move(executor)),
      config_(std::move(config)),
      ports_(ports),
      network_(network),
      tracer_(tracer),
      device_name_(std::move(device_name)),
      log_(std::move(log)),
      hooks_(std::move(hooks)) {}

Service::~Service() {
  *alive_ = false;
  stop();
}

void Service::start() {
  if (subscription_ || !config_.enabled || ports_ == nullptr) return;
  boost::system::error_code ec;
  subscription_ = ports_->subscribe(
      config_.bind, [this](const net::HostPort& source, ByteView data) { on_datagram(source, data); }, ec);
  if (ec) {
    bind_error_ = ec.message();
    if (log_) log_->warn("config tool: cannot bind udp {}: {}; this module will not answer the configuration tool",
                         config_.bind.to_string(), bind_error_);
    return;
  }
  bind_error_.clear();
}

void Service::stop() {
  tftp_.reset();
  subscription_.reset();
}

void Service::abort_update() {
  if (tftp_ && log_) log_->info("config tool: firmware download interrupted by a reset");
  tftp_.reset();
}

void Service::on_datagram(const net::HostPort& source, ByteView data) {
  if (tftp_) return;  // the bootloader is busy downloading
  const auto current = hooks_.current();
  if (!current) return;
  Outcome out = respond(data, *current);
  trace("config_tool_request", {{"from", source.to_string()}, {"bytes", data.size()}, {"answered", out.reply.has_value()},
                                {"action", action_name(out.action)}});
  if (!out.reply) return;
  subscription_->send_to(source, std::move(*out.reply));
  switch (out.action) {
    case Action::none: break;
    case Action::reset: hooks_.reset(); break;
    case Action::factory_reset: hooks_.factory_reset(); break;
    case Action::apply_settings:
      if (out.settings) hooks_.apply_settings(*out.settings);
      break;
    case Action::firmware_upload: store_record(*out.upload, source); break;
  }
}

// The application's part of D1: settings reloaded and saved together with the record, then a reset into the
// bootloader, which finds the record.
void Service::store_record(const UploadRequest& request, const net::HostPort& requester) {
  hooks_.reload_stored_settings();
  record_ = UploadRecord{request, requester};
  hooks_.save();
  hooks_.reset();
}

void Service::run_update(const Mac& mac) {
  if (!record_) return;
  update_mac_ = mac;
  if (network_ == nullptr) {
    finish_update({false, "no network", {}});
    return;
  }
  tftp_ = std::make_unique<TftpClient>(executor_, *network_, config_.tftp_timeout, config_.tftp_retries);
  const net::HostPort server{to_string(record_->request.server), kTftpPort};
  trace("firmware_download", {{"server", server.to_string()}, {"file", record_->request.file}});
  std::weak_ptr<bool> alive = alive_;
  tftp_->fetch(server, record_->request.file, [this, alive](TftpClient::Result result) {
    if (!alive.expired()) finish_update(std::move(result));
  });
}

void Service::finish_update(TftpClient::Result result) {
  // Destroyed from a fresh handler: we are inside its completion.
  boost::asio::post(executor_, [client = std::shared_ptr<TftpClient>(std::move(tftp_))] {});
  const UploadRecord record = *record_;
  const std::string& file = record.request.file;
  last_update_ = {{"ok", result.ok}, {"file", file}};
  if (result.ok) {
    last_update_["bytes"] = result.data.size();
    if (log_) log_->info("config tool: firmware {} downloaded ({} bytes)", file, result.data.size());
    firmware_ = FirmwareImage{file, std::move(result.data)};
    record_.reset();
    hooks_.save();
    if (subscription_) {
      Header h = record.request.header;
      h.op = op::upload_done;
      h.direction = kReply;
      subscription_->send_to(record.requester, encode(h, Bytes(update_mac_.begin(), update_mac_.end())));
    }
  } else {
    last_update_["error"] = result.error;
    if (log_) log_->warn("config tool: firmware download of {} failed: {}; keeping the old firmware", file, result.error);
  }
  trace("firmware_download_done", last_update_);
  hooks_.start_application();
}

void Service::restore(const nlohmann::json& flash_data) {
  record_ = upload_record_from(flash_data);
  firmware_ = firmware_from(flash_data);
}

void Service::persist(nlohmann::json& flash_data) const {
  if (record_) flash_data["upload_record"] = to_json(*record_);
  if (firmware_) flash_data["firmware"] = to_json(*firmware_, true);
}

nlohmann::json Service::firmware_image() const {
  if (!firmware_) return {{"ok", true}, {"factory", true}};
  nlohmann::json j = to_json(*firmware_, true);
  j["ok"] = true;
  j["factory"] = false;
  return j;
}

void Service::trace(std::string_view event, const nlohmann::json& fields) {
  if (tracer_) tracer_->event(device_name_, event, fields);
}

nlohmann::json Service::state() const {
  nlohmann::json s{{"enabled", config_.enabled}, {"bind", config_.bind.to_string()}};
  s["port"] = subscription_ ? nlohmann::json(subscription_->bound().port) : nlohmann::json();
  if (!bind_error_.empty()) s["error"] = bind_error_;
  s["updating"] = tftp_ != nullptr;
  s["firmware"] = firmware_ ? to_json(*firmware_, false) : nlohmann::json();
  s["upload_record"] = record_ ? to_json(*record_) : nlohmann::json();
  s["last_update"] = last_update_;
  return s;
}

nlohmann::json Service::listener() const {
  if (!subscription_) return nullptr;
  const auto bound = subscription_->bound();
  return {{"device_port", kPort}, {"host", bound.host}, {"port", bound.port}, {"proto", "udp"}, {"shared", true}};
}

}  // namespace simdev::wiz550s2e::config_tool
