#include "libsim/runtime/device_slot.hpp"

#include <filesystem>

#include "libsim/config/config_error.hpp"
#include "libsim/runtime/logging.hpp"

namespace simdev::runtime {

DeviceSlot::DeviceSlot(const boost::asio::any_io_executor& ex, config::DeviceConfig config, const DeviceKind& kind,
                       trace::Tracer& tracer, std::size_t index, net::SharedUdpPorts* shared_udp)
    : config_(std::move(config)), kind_(kind), tracer_(tracer), log_(make_logger(config_.name)) {
  const std::string where = "config: devices[" + std::to_string(index) + "].";
  try {
    serial::TransportOptions transport_options;
    if (config_.timing == TimingMode::fast) transport_options.pty_read_bytes = 64 * 1024;
    transport_ = serial::make_transport(ex, config_.serial, config_.name, transport_options);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(where + "serial: " + e.what());
  }
  try {
    net_ = std::make_unique<net::VirtualNetwork>(
        ex, net::NetConfig::from_json(config_.settings.value("network", nlohmann::json())), config_.name, tracer_, log_);
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(where + e.what());
  }
  if (!config_.flash.empty()) config_.flash = std::filesystem::absolute(config_.flash);
  flash_ = std::make_unique<store::FlashStore>(
      store::FlashOptions{config_.flash, config_.flash_reset, config_.flash_readonly}, kind_.flash_schema,
      kind_.flash_version, log_);
  serial::UartLinkOptions link_options;
  if (config_.timing == TimingMode::fast) {
    // No line to model at memory speed: read the host in large gulps (a small FIFO costs a context switch
    // per few KiB, which halved throughput against socat -b65536).
    link_options.rx_fifo_bytes = 64 * 1024;
    link_options.rx_resume_bytes = 32 * 1024;
  }
  link_ = std::make_unique<serial::UartLink>(ex, *transport_, config_.timing, config_.uart, tracer_, config_.name,
                                             log_, link_options);

  DeviceContext context;
  context.executor = ex;
  context.name = config_.name;
  context.config = config_.settings;
  context.timing = config_.timing;
  context.serial = link_.get();
  context.net = net_.get();
  context.flash = flash_.get();
  context.tracer = &tracer_;
  context.log = log_;
  context.shared_udp = shared_udp;
  try {
    device_ = kind_.create(std::move(context));
  } catch (const std::invalid_argument& e) {
    // A kind rejects settings it cannot use by throwing invalid_argument: that is a config error.
    throw config::ConfigError(where + "settings: " + e.what());
  }
}

DeviceSlot::~DeviceSlot() {
  device_.reset();
  link_.reset();
}

void DeviceSlot::open() { transport_->open(); }

void DeviceSlot::start() {
  link_->set_rx_handler([this](const serial::RxChunk& chunk) { device_->on_serial_rx(chunk); });
  link_->start();
  started_ = true;
  tracer_.event(config_.name, "power_on", {{"kind", kind_.name}});
  device_->power_on();
}

void DeviceSlot::stop() {
  if (started_) {
    device_->shutdown();
    tracer_.event(config_.name, "shutdown");
    link_->stop();
    started_ = false;
  }
  transport_->close();
}

nlohmann::json DeviceSlot::listeners() const {
  nlohmann::json from_device = device_->listeners();
  if (from_device.is_array() && !from_device.empty()) return from_device;
  return net_->listeners();
}

nlohmann::json DeviceSlot::state() const {
  nlohmann::json s = device_->state();
  if (!s.is_object()) s = nlohmann::json{{"device", s}};
  s["kind"] = kind_.name;
  nlohmann::json serial = link_->state();
  if (!serial.is_object()) serial = nlohmann::json::object();
  serial["transport"] = transport_->describe();
  s["serial"] = std::move(serial);
  s["listeners"] = listeners();
  s["flash"] = {{"path", config_.flash.empty() ? nlohmann::json() : nlohmann::json(config_.flash.string())},
                {"readonly", flash_->readonly()},
                {"writes", flash_->writes()}};
  return s;
}

DeviceReadiness DeviceSlot::readiness() const {
  return {config_.name, kind_.name, transport_->describe(), config_.flash, listeners()};
}

std::vector<std::string> DeviceSlot::endpoints_in_use() const {
  return net_ ? net_->endpoints_in_use() : std::vector<std::string>{};
}

}  // namespace simdev::runtime
