#include "libsim/serial/uart_link.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "libsim/serial/lifetime.hpp"
#include "libsim/serial/line_schedule.hpp"

namespace simdev::serial {

namespace asio = boost::asio;

struct UartLink::Impl {
  Impl(asio::any_io_executor ex, Transport& t, TimingMode mode, UartSettings initial, trace::Tracer& tr,
       std::string name, std::shared_ptr<spdlog::logger> logger, UartLinkOptions opts)
      : executor(std::move(ex)),
        transport(t),
        timing(mode),
        settings(initial),
        tracer(tr),
        device(std::move(name)),
        log(logger ? std::move(logger) : spdlog::default_logger()),
        options(opts),
        timer(executor),
        baud_check_timer(executor),
        rx_line(initial),
        tx_line(initial) {}

  bool wire() const { return timing == TimingMode::wire; }

  // ---- host -> device ----
  void on_transport_data(ByteView data) {
    const auto now = Clock::now();
    if (!wire() && !rx_paused && rx_fifo.empty()) {
      deliver(Bytes(data.begin(), data.end()), now, Clock::duration::zero());
    } else {
      if (wire() && rx_fifo.empty()) rx_line.restart(now);  // the line was idle: these bytes start now
      rx_fifo.insert(rx_fifo.end(), data.begin(), data.end());
    }
    update_transport_reading();
    schedule_tick();
  }

  void release_rx(Clock::time_point now) {
    if (rx_paused || rx_fifo.empty()) return;
    const std::uint64_t n = rx_line.completed_by(now, rx_fifo.size());
    if (n == 0) return;
    const Clock::time_point first = rx_line.completion(1);
    rx_line.consume(n);
    Bytes bytes(rx_fifo.begin(), rx_fifo.begin() + static_cast<long>(n));
    rx_fifo.erase(rx_fifo.begin(), rx_fifo.begin() + static_cast<long>(n));
    update_transport_reading();
    deliver(std::move(bytes), first, rx_line.char_time());
  }

  void deliver_all_now() {
    if (rx_paused || rx_fifo.empty()) return;
    Bytes bytes(rx_fifo.begin(), rx_fifo.end());
    rx_fifo.clear();
    update_transport_reading();
    deliver(std::move(bytes), Clock::now(), Clock::duration::zero());
  }

  void deliver(Bytes bytes, Clock::time_point first, Clock::duration char_time) {
    tracer.serial(device, trace::Direction::rx, bytes);
    if (!rx_handler) return;
    const RxChunk chunk{ByteView(bytes), first, char_time};
    rx_handler(chunk);
  }

  void update_transport_reading() {
    if (!transport_paused && rx_fifo.size() >= options.rx_fifo_bytes) {
      transport_paused = true;
      transport.pause_reading(true);
    } else if (transport_paused && rx_fifo.size() <= options.rx_resume_bytes) {
      transport_paused = false;
      transport.pause_reading(false);
    }
  }

  // ---- device -> host ----
  void write(ByteView bytes) {
    if (bytes.empty()) return;
    if (wire() && tx_queue.empty() && !tx_waiting_for_host) tx_line.restart(Clock::now());
    tx_queue.insert(tx_queue.end(), bytes.begin(), bytes.end());
    drain_pending = true;
    if (wire()) {
      schedule_tick();
    } else {
      pump_fast();
    }
  }

  // How many queued bytes may go before the next settings change.
  std::size_t releasable() const {
    std::size_t limit = tx_queue.size();
    if (!settings_changes.empty()) limit = std::min<std::size_t>(limit, settings_changes.front().first - tx_released);
    return limit;
  }

  bool host_is_behind() const { return transport.pending_output() >= options.tx_transport_window; }

  void pump_fast() {
    while (!tx_queue.empty() || !settings_changes.empty()) {
      apply_due_settings();
      if (tx_queue.empty()) break;
      if (host_is_behind()) {
        tx_waiting_for_host = true;
        return;
      }
      const std::size_t room = options.tx_transport_window - transport.pending_output();
      release_tx(std::min(releasable(), room));
    }
    maybe_drained();
  }

  void pump_wire(Clock::time_point now) {
    for (;;) {
      apply_due_settings();
      if (tx_queue.empty()) break;
      if (host_is_behind()) {
        tx_waiting_for_host = true;
        return;
      }
      const std::uint64_t n = tx_line.completed_by(now, releasable());
      if (n == 0) break;
      tx_line.consume(n);
      release_tx(static_cast<std::size_t>(n));
    }
    maybe_drained();
  }

  void release_tx(std::size_t n) {
    if (n == 0) return;
    Bytes bytes(tx_queue.begin(), tx_queue.begin() + static_cast<long>(n));
    tx_queue.erase(tx_queue.begin(), tx_queue.begin() + static_cast<long>(n));
    tx_released += n;
    tracer.serial(device, trace::Direction::tx, bytes);
    transport.write(bytes);
  }

  void on_transport_drained() {
    if (tx_waiting_for_host) {
      tx_waiting_for_host = false;
      if (wire()) {
        tx_line.restart(Clock::now());  // the host held us up; the line resumes from here
        schedule_tick();
      } else {
        pump_fast();
      }
    }
    maybe_drained();
  }

  void maybe_drained() {
    if (!drain_pending || !tx_queue.empty() || transport.pending_output() != 0) return;
    drain_pending = false;
    // Posted: the device may write again from its handler, and write() may be what got us here.
    asio::post(executor, lifetime.guard([this] {
      if (tx_drained) tx_drained();
    }));
  }

  // ---- frame settings ----
  void apply_settings(const UartSettings& next) {
    if (tx_queue.empty() && settings_changes.empty()) {
      switch_to(next);
    } else {
      settings_changes.emplace_back(tx_released + tx_queue.size(), next);
      if (!wire()) pump_fast();
    }
  }

  void apply_due_settings() {
    while (!settings_changes.empty() && settings_changes.front().first <= tx_released) {
      const UartSettings next = settings_changes.front().second;
      settings_changes.pop_front();
      switch_to(next);
    }
  }

  void switch_to(const UartSettings& next) {
    const auto now = Clock::now();
    const Clock::time_point tx_free = std::max(now, tx_line.line_free());
    settings = next;
    tx_line.set_frame(next);
    tx_line.restart(tx_free);
    rx_line.set_frame(next);
    rx_line.restart(now);
    log->info("{}: UART now {}", device, to_string(next));
    schedule_baud_check();
    schedule_tick();
  }

  void schedule_baud_check() {
    baud_check_timer.expires_after(options.baud_check_delay);
    baud_check_timer.async_wait(lifetime.guard([this](const boost::system::error_code& ec) {
      if (!ec) check_baud_match();
    }));
  }

  void check_baud_match() {
    const bool mismatch = client_baud && *client_baud != settings.baud;
    if (mismatch && !mismatch_reported) {
      log->warn("{}: the host opened the port at {} baud but the device UART runs at {} baud; real hardware would read garbage",
                device, *client_baud, settings.baud);
    }
    mismatch_reported = mismatch;
  }

  // ---- the wire-timing tick ----
  void schedule_tick() {
    if (!wire() || !started) return;
    std::optional<Clock::time_point> due;
    if (!rx_paused && !rx_fifo.empty()) due = rx_line.completion(1);
    if (!tx_queue.empty() && !tx_waiting_for_host) {
      const auto tx_due = tx_line.completion(1);
      due = due ? std::min(*due, tx_due) : tx_due;
    }
    if (!due) return;
    const Clock::time_point at = std::max(*due, last_tick + options.tick);
    if (timer_armed && armed_at <= at) return;
    timer_armed = true;
    armed_at = at;
    const std::uint64_t generation = ++timer_generation;
    timer.expires_at(at);
    timer.async_wait(lifetime.guard([this, generation](const boost::system::error_code& ec) {
      if (ec || generation != timer_generation) return;
      timer_armed = false;
      on_tick();
    }));
  }

  void on_tick() {
    const auto now = Clock::now();
    last_tick = now;
    release_rx(now);
    pump_wire(now);
    schedule_tick();
  }

  asio::any_io_executor executor;
  Transport& transport;
  TimingMode timing;
  UartSettings settings;
  trace::Tracer& tracer;
  std::string device;
  std::shared_ptr<spdlog::logger> log;
  UartLinkOptions options;

  asio::steady_timer timer;
  asio::steady_timer baud_check_timer;
  bool timer_armed = false;
  Clock::time_point armed_at{};
  Clock::time_point last_tick{};
  std::uint64_t timer_generation = 0;

  std::function<void(const RxChunk&)> rx_handler;
  std::function<void()> tx_drained;
  std::optional<std::uint32_t> client_baud;
  bool mismatch_reported = false;
  bool started = false;

  std::deque<std::uint8_t> rx_fifo;
  LineSchedule rx_line;
  bool rx_paused = false;
  bool transport_paused = false;

  std::deque<std::uint8_t> tx_queue;
  LineSchedule tx_line;
  std::uint64_t tx_released = 0;
  bool tx_waiting_for_host = false;
  bool drain_pending = false;
  std::deque<std::pair<std::uint64_t, UartSettings>> settings_changes;  // (switch after this many released, settings)

  Lifetime lifetime;
};

UartLink::UartLink(asio::any_io_executor ex, Transport& transport, TimingMode timing, UartSettings initial,
                   trace::Tracer& tracer, std::string device_name, std::shared_ptr<spdlog::logger> log,
                   UartLinkOptions options)
    : impl_(std::make_unique<Impl>(std::move(ex), transport, timing, initial, tracer, std::move(device_name),
                                   std::move(log), options)) {}

UartLink::~UartLink() { stop(); }

void UartLink::set_rx_handler(std::function<void(const RxChunk&)> handler) { impl_->rx_handler = std::move(handler); }

void UartLink::start() {
  Impl& d = *impl_;
  if (d.started) return;
  d.started = true;
  d.transport.set_output_drained_handler([&d] { d.on_transport_drained(); });
  TransportEvents events;
  events.on_data = [&d](ByteView data) { d.on_transport_data(data); };
  events.on_attach = [&d](bool attached) {
    d.log->debug("{}: serial client {}", d.device, attached ? "attached" : "detached");
    if (attached) d.schedule_baud_check();
  };
  events.on_client_baud = [&d](std::uint32_t baud) {
    d.client_baud = baud;
    d.log->debug("{}: serial client set {} baud", d.device, baud);
    d.schedule_baud_check();
  };
  d.transport.start(std::move(events));
  d.schedule_tick();
  if (!d.wire()) d.pump_fast();
}

void UartLink::stop() {
  Impl& d = *impl_;
  if (!d.started) return;
  d.started = false;
  d.timer.cancel();
  d.baud_check_timer.cancel();
  d.transport.close();
}

void UartLink::write(ByteView bytes) { impl_->write(bytes); }

std::size_t UartLink::tx_backlog() const { return impl_->tx_queue.size() + impl_->transport.pending_output(); }

void UartLink::set_tx_drained_handler(std::function<void()> handler) { impl_->tx_drained = std::move(handler); }

UartSettings UartLink::settings() const { return impl_->settings; }

void UartLink::apply_settings(const UartSettings& settings) { impl_->apply_settings(settings); }

void UartLink::set_rx_paused(bool paused) {
  Impl& d = *impl_;
  if (d.rx_paused == paused) return;
  d.rx_paused = paused;
  if (paused) return;
  if (d.wire()) {
    if (!d.rx_fifo.empty()) d.rx_line.restart(Clock::now());  // the host resumes sending now
    d.schedule_tick();
  } else {
    asio::post(d.executor, d.lifetime.guard([&d] { d.deliver_all_now(); }));
  }
}

void UartLink::discard_rx() {
  impl_->rx_fifo.clear();
  impl_->update_transport_reading();
}

void UartLink::discard_tx() {
  Impl& d = *impl_;
  d.tx_released += d.tx_queue.size();  // as if sent, so pending settings changes fall due
  d.tx_queue.clear();
  d.apply_due_settings();
  d.maybe_drained();
}

std::optional<std::uint32_t> UartLink::client_baud() const { return impl_->client_baud; }

nlohmann::json UartLink::state() const {
  const Impl& d = *impl_;
  const TransportCounters& c = d.transport.counters();
  return {{"settings", to_string(d.settings)},
          {"timing", d.wire() ? "wire" : "fast"},
          {"client_baud", d.client_baud ? nlohmann::json(*d.client_baud) : nlohmann::json(nullptr)},
          {"attached", d.transport.attached()},
          {"bytes_in", c.bytes_in},
          {"bytes_out", c.bytes_out},
          {"bytes_dropped", c.bytes_dropped},
          {"attaches", c.attaches},
          {"rx_fifo", d.rx_fifo.size()},
          {"tx_backlog", tx_backlog()},
          {"transport", d.transport.describe()}};
}

}  // namespace simdev::serial
