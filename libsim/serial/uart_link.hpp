#pragma once
// The UART model between a transport and a device: frame settings, pacing in wire timing (both directions,
// absolute schedule, ~1 ms ticks), memory speed in fast timing, a bounded RX FIFO that back-pressures the
// host, observation of the client's own baud rate, and trace of every byte.
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "libsim/runtime/device.hpp"
#include "libsim/serial/serial_port.hpp"
#include "libsim/serial/transport.hpp"
#include "libsim/trace/tracer.hpp"

namespace simdev::serial {

class UartLink final : public SerialPort {
 public:
  UartLink(boost::asio::any_io_executor ex, Transport& transport, TimingMode timing, UartSettings initial,
           trace::Tracer& tracer, std::string device_name, std::shared_ptr<spdlog::logger> log);
  ~UartLink() override;

  // Where paced host bytes go (normally Device::on_serial_rx).
  void set_rx_handler(std::function<void(const RxChunk&)> handler);
  // Starts the transport and the pacing machinery.
  void start();
  void stop();

  // SerialPort
  void write(ByteView bytes) override;
  std::size_t tx_backlog() const override;
  void set_tx_drained_handler(std::function<void()> handler) override;
  UartSettings settings() const override;
  void apply_settings(const UartSettings& settings) override;
  void set_rx_paused(bool paused) override;
  void discard_rx() override;
  void discard_tx() override;

  // {"settings":"115200,8N1,none","client_baud":115200,"attached":true,"bytes_in":..,"bytes_out":..,"bytes_dropped":..}
  nlohmann::json state() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace simdev::serial
