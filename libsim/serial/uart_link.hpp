#pragma once
// The UART model between a transport and a device: frame settings, pacing in wire timing (both directions,
// absolute schedule, ~1 ms ticks), memory speed in fast timing, a bounded RX FIFO that back-pressures the
// host, observation of the client's own baud rate, and trace of every byte.
#include <chrono>
#include <cstdint>
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

// Tuning of the UART model; the defaults suit real use, tests shrink or grow them.
struct UartLinkOptions {
  // Wire timing releases bytes at most once per tick (absolute schedule, so ticks never add drift).
  std::chrono::microseconds tick{1000};
  // The device's RX FIFO: when it holds this many undelivered bytes the transport stops being read.
  std::size_t rx_fifo_bytes = 4096;
  // Reading resumes once the FIFO has drained to this many bytes.
  std::size_t rx_resume_bytes = 2048;
  // Bytes handed to the transport and not yet taken by the OS before TX release waits for the host.
  std::size_t tx_transport_window = 4096;
  // A client's speed is compared with the device's only after it has been stable this long: hosts open the
  // port (kernel default 38400) and set their speed a moment later, which must not raise a false warning.
  std::chrono::milliseconds baud_check_delay{100};
};

class UartLink final : public SerialPort {
 public:
  UartLink(boost::asio::any_io_executor ex, Transport& transport, TimingMode timing, UartSettings initial,
           trace::Tracer& tracer, std::string device_name, std::shared_ptr<spdlog::logger> log,
           UartLinkOptions options = {});
  ~UartLink() override;

  // Where paced host bytes go (normally Device::on_serial_rx).
  void set_rx_handler(std::function<void(const RxChunk&)> handler);
  // Starts the transport (opening it first if the caller has not) and the pacing machinery.
  void start();
  // Stops pacing and closes the transport (removing a pty link / unix socket file).
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
  // plus "timing", "attaches", "rx_fifo", "tx_backlog" and "transport" (Transport::describe()).
  nlohmann::json state() const;
  std::optional<std::uint32_t> client_baud() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace simdev::serial
