#pragma once
// The configuration-tool responder of one module on the process's shared UDP port (spec §5): it answers requests
// through config_tool::respond, then asks the device to apply settings, reset or factory-reset. For D1 it keeps the
// upload request record (saved with the settings) and the module resets; at boot, while a record is present, the
// simulated bootloader downloads the file by TFTP, and only a successful download replaces the firmware image,
// clears the record and sends the unsolicited D2 reply. Either way the application starts afterwards.
//
// Replies go to the requester's own address and port. The module would broadcast them when the request's
// unicast flag is 0; loopback has no broadcast, so the requester's address stands in for 255.255.255.255.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "devices/wiz550s2e/config_tool_config.hpp"
#include "devices/wiz550s2e/config_tool_responder.hpp"
#include "devices/wiz550s2e/config_tool_tftp_client.hpp"
#include "devices/wiz550s2e/config_tool_upload.hpp"
#include "libsim/net/shared_udp_port.hpp"

namespace simdev::trace {
class Tracer;
}

namespace simdev::wiz550s2e::config_tool {

class Service {
 public:
  struct Hooks {
    // The RAM config with live state and network values, or nullopt while the module does not answer.
    std::function<std::optional<Settings>()> current;
    std::function<void(const Settings&)> apply_settings;  // store, then reset
    std::function<void()> factory_reset;                 // defaults with the MAC kept, store, reset
    std::function<void()> reset;
    // D1: reload the stored settings keeping the network identity in use; the record is set right after.
    std::function<void()> reload_stored_settings;
    std::function<void()> save;  // write settings, record and firmware (persist()) to flash
    std::function<void()> start_application;
  };

  Service(boost::asio::any_io_executor executor, ToolConfig config, net::SharedUdpPorts* ports,
          net::VirtualNetwork* network, trace::Tracer* tracer, std::string device_name,
          std::shared_ptr<spdlog::logger> log, Hooks hooks);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Subscribes to the shared port (idempotent). A port another process holds is not fatal: the module then has
  // no responder, which state() reports.
  void start();
  void stop();
  // A reset during the download: the old firmware stays, the record too (the next boot downloads again).
  void abort_update();
  bool updating() const { return tftp_ != nullptr; }

  // The bootloader's part of a boot: true when an upload record is present, and then the download runs and
  // hooks.start_application follows it.
  bool update_pending() const { return record_.has_value(); }
  void run_update(const Mac& mac);

  // Non-volatile state in the flash file's data object: restore() at power-on, persist() on every save.
  void restore(const nlohmann::json& flash_data);
  void persist(nlohmann::json& flash_data) const;

  nlohmann::json state() const;
  // Control op firmware_image: the stored firmware (data as hex), {"ok":true,"factory":true} before any upload.
  nlohmann::json firmware_image() const;
  // {"device_port":6550,"host":..,"port":..,"proto":"udp","shared":true} while bound, else null.
  nlohmann::json listener() const;

 private:
  void on_datagram(const net::HostPort& source, ByteView data);
  void store_record(const UploadRequest& request, const net::HostPort& requester);
  void finish_update(TftpClient::Result result);
  void trace(std::string_view event, const nlohmann::json& fields);

  boost::asio::any_io_executor executor_;
  ToolConfig config_;
  net::SharedUdpPorts* ports_;
  net::VirtualNetwork* network_;
  trace::Tracer* tracer_;
  std::string device_name_;
  std::shared_ptr<spdlog::logger> log_;
  Hooks hooks_;
  std::unique_ptr<net::SharedUdpPorts::Subscription> subscription_;
  std::string bind_error_;

  std::optional<UploadRecord> record_;      // from D1 until a download succeeds
  std::optional<FirmwareImage> firmware_;  // the last image downloaded (nullopt: the factory firmware)
  Mac update_mac_{};                       // D2's body
  std::unique_ptr<TftpClient> tftp_;
  nlohmann::json last_update_;  // outcome of the last download attempt (this process)
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simdev::wiz550s2e::config_tool
