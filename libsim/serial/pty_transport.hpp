#pragma once
// --serial pty[:LINK]: a raw pseudo-terminal with a stable symlink that survives the client closing and
// reopening. See spec/stack.md §3 for the kernel behaviour every member here works around.
// What a pty cannot show the device: the client's parity and data bits (the driver forces CS8, no parity),
// modem lines (DTR/RTS) and breaks. Only the line speed is observable (client_baud()).
// A client that closes and a new one that opens before the loop notices either look like one session:
// the previous client's unread bytes are flushed only when a moment with no client was seen.
#include <array>
#include <chrono>
#include <string>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "libsim/serial/lifetime.hpp"
#include "libsim/serial/output_buffer.hpp"
#include "libsim/serial/transport.hpp"

namespace simdev::serial {

struct PtyOptions {
  // How often a detached (or paused) pty is polled for a client opening or closing it.
  std::chrono::milliseconds hup_poll_interval{20};
  // Most data bytes per delivery (at most 64 KiB). Above the line discipline's 4 KiB, full reads are
  // followed by further reads at once until this many bytes are gathered or the pty is dry.
  std::size_t read_bytes = 4096;
};

class PtyTransport final : public Transport {
 public:
  // Data bytes of a read that emptied the line discipline's whole buffer (N_TTY_BUF_SIZE less one).
  static constexpr std::size_t kFullLineDisciplineRead = 4095;

  PtyTransport(const boost::asio::any_io_executor& ex, std::string link, PtyOptions options = {});
  ~PtyTransport() override;

  void open() override;
  void start(TransportEvents events) override;
  void write(ByteView bytes) override;
  std::size_t pending_output() const override { return out_.size(); }
  void set_output_drained_handler(std::function<void()> handler) override { drained_ = std::move(handler); }
  void pause_reading(bool paused) override;
  bool attached() const override { return attached_; }
  void close() override;
  nlohmann::json describe() const override;
  const TransportCounters& counters() const override { return counters_; }
  std::optional<std::uint32_t> client_baud() const override { return client_baud_; }

  const std::string& slave_path() const { return slave_path_; }
  const std::string& link_path() const { return link_; }

 private:
  bool slave_held_open();
  void refresh_attachment();
  void note_attached();
  void note_detached();
  void flush_stale_client_input();
  void refresh_client_baud();
  void read_next();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  std::size_t gather_queued_input(std::size_t have);
  void write_next();
  void update_watch();
  void on_watch_tick();
  void watch_open_close_events();

  std::string link_;
  PtyOptions options_;
  boost::asio::posix::stream_descriptor master_;
  boost::asio::steady_timer watch_timer_;
  // inotify on the slave device: sees every open and close at once, even ones shorter than a poll
  // interval (stty -F LINK 9600). POLLHUP stays the ground truth; this only says "look now".
  boost::asio::posix::stream_descriptor tty_events_;
  std::array<char, 1024> tty_events_buf_{};
  std::string slave_path_;
  TransportEvents events_;
  std::function<void()> drained_;
  TransportCounters counters_;
  std::optional<std::uint32_t> client_baud_;
  OutputBuffer out_;
  std::array<std::uint8_t, 65537> read_buf_{};  // one packet-mode status byte + 64 KiB of data

  bool opened_ = false;
  bool started_ = false;
  bool attached_ = false;
  bool paused_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool watching_ = false;
  Lifetime lifetime_;  // last: handlers check it before touching anything above
};

}  // namespace simdev::serial
