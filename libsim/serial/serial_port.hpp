#pragma once
// The device's view of its UART. libsim's UartLink implements it on top of a transport; tests implement
// it in memory. A device never touches a file descriptor: it writes here and is fed through Device::on_serial_rx.
#include <chrono>
#include <cstddef>
#include <functional>

#include "libsim/serial/uart_settings.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::serial {

using Clock = std::chrono::steady_clock;

// Bytes that finished arriving on the device's RX pin. Byte i completed at first + i * char_time
// (char_time is zero in fast timing, where all bytes share one arrival time).
struct RxChunk {
  ByteView bytes;
  Clock::time_point first;
  Clock::duration char_time{};
  Clock::time_point arrival(std::size_t i) const { return first + char_time * static_cast<long>(i); }
  Clock::time_point last() const { return bytes.empty() ? first : arrival(bytes.size() - 1); }
};

class SerialPort {
 public:
  virtual ~SerialPort() = default;

  // Queue bytes for the host; in wire timing they leave at the UART's character rate.
  virtual void write(ByteView bytes) = 0;
  // Bytes queued and not yet delivered to the transport (the device's TX backlog).
  virtual std::size_t tx_backlog() const = 0;
  // Called once each time the TX backlog falls to zero (devices use it to resume reading sockets).
  virtual void set_tx_drained_handler(std::function<void()> handler) = 0;

  virtual UartSettings settings() const = 0;
  // New frame settings take effect once everything already queued has left at the old rate
  // (a module answers OK at the old baud, then switches).
  virtual void apply_settings(const UartSettings& settings) = 0;

  // Stop/resume accepting bytes from the host (the device's RX buffer is full). While paused the host's
  // writes back up in the transport, as with hardware flow control or a slow reader.
  virtual void set_rx_paused(bool paused) = 0;
  // Discard bytes the host sent that were not yet delivered (power cycle, sleep).
  virtual void discard_rx() = 0;
  // Discard bytes queued toward the host (reset cuts off a half-sent response).
  virtual void discard_tx() = 0;
};

}  // namespace simdev::serial
