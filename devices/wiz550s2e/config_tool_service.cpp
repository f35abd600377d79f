#include "devices/wiz550s2e/config_tool_service.hpp"

#include <cstdio>

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

// FNV-1a: enough to tell two downloaded images apart in state().
std::string fingerprint(const Bytes& data) {
  std::uint64_t h = 1469598103934665603ull;
  for (auto b : data) {
    h ^= b;
    h *= 1099511628211ull;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
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
  abort_update();
  subscription_.reset();
}

void Service::abort_update() {
  if (tftp_ && log_) log_->info("config tool: firmware download abandoned by a reset");
  tftp_.reset();
  update_.reset();
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
    case Action::firmware_upload: start_update(*out.upload, source, current->mac); break;
  }
}

void Service::start_update(const UploadRequest& request, const net::HostPort& requester, const Mac& mac) {
  hooks_.enter_bootloader();
  if (network_ == nullptr) {
    finish_update({false, "no network", {}});
    return;
  }
  update_ = Update{request, requester, mac};
  tftp_ = std::make_unique<TftpClient>(executor_, *network_, config_.tftp_timeout, config_.tftp_retries);
  const net::HostPort server{to_string(request.server), kTftpPort};
  trace("firmware_download", {{"server", server.to_string()}, {"file", request.file}});
  std::weak_ptr<bool> alive = alive_;
  tftp_->fetch(server, request.file, [this, alive](TftpClient::Result result) {
    if (!alive.expired()) finish_update(std::move(result));
  });
}

void Service::finish_update(TftpClient::Result result) {
  std::optional<Update> update = std::exchange(update_, std::nullopt);
  // Destroyed from a fresh handler: we are inside its completion.
  boost::asio::post(executor_, [client = std::shared_ptr<TftpClient>(std::move(tftp_))] {});
  const std::string file = update ? update->request.file : std::string();
  last_update_ = {{"ok", result.ok}, {"file", file}};
  if (result.ok) {
    firmware_ = {{"file", file}, {"bytes", result.data.size()}, {"fnv1a", fingerprint(result.data)}};
    last_update_["bytes"] = result.data.size();
    if (log_) log_->info("config tool: firmware {} downloaded ({} bytes)", file, result.data.size());
  } else {
    last_update_["error"] = result.error;
    if (log_) log_->warn("config tool: firmware download of {} failed: {}; keeping the old firmware", file, result.error);
  }
  trace("firmware_download_done", last_update_);
  if (result.ok && update && subscription_) {
    Header h = update->request.header;
    h.op = op::upload_done;
    h.direction = kReply;
    subscription_->send_to(update->requester, encode(h, Bytes(update->mac.begin(), update->mac.end())));
  }
  hooks_.start_application();
}

void Service::trace(std::string_view event, const nlohmann::json& fields) {
  if (tracer_) tracer_->event(device_name_, event, fields);
}

nlohmann::json Service::state() const {
  nlohmann::json s{{"enabled", config_.enabled}, {"bind", config_.bind.to_string()}};
  s["port"] = subscription_ ? nlohmann::json(subscription_->bound().port) : nlohmann::json();
  if (!bind_error_.empty()) s["error"] = bind_error_;
  s["updating"] = tftp_ != nullptr;
  s["firmware"] = firmware_;
  s["last_update"] = last_update_;
  return s;
}

nlohmann::json Service::listener() const {
  if (!subscription_) return nullptr;
  const auto bound = subscription_->bound();
  return {{"device_port", kPort}, {"host", bound.host}, {"port", bound.port}, {"proto", "udp"}, {"shared", true}};
}

}  // namespace simdev::wiz550s2e::config_tool
