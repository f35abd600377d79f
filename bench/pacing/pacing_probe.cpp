// Measures how closely wire timing holds the UART frame rate through a real pty.
//   pacing_probe BAUD tx|rx SECONDS
// tx: the device writes BAUD/10 * SECONDS bytes; a client thread reads them through the pty and times the stream.
// rx: a client thread writes as fast as the pty accepts; the device records per-byte arrival times (the schedule
//     guard-time logic sees) and the wall-clock times its handler ran.
// Prints one JSON line with the measured and theoretical bytes/s and the relative errors in percent.
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "libsim/serial/pty_transport.hpp"
#include "libsim/serial/uart_link.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using simdev::serial::PtyTransport;
using simdev::serial::RxChunk;
using simdev::serial::UartLink;
using simdev::serial::UartSettings;

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double error_pct(double measured, double theoretical) { return 100.0 * (measured - theoretical) / theoretical; }

int open_client(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    std::perror("open pty");
    std::exit(1);
  }
  return fd;
}

// The client sets the same line speed as the device, as a correctly configured host would.
speed_t speed_code(std::uint32_t baud) {
  switch (baud) {
    case 9600: return B9600;
    case 115200: return B115200;
    case 921600: return B921600;
    case 2000000: return B2000000;
    default: return B38400;
  }
}

void run_until(boost::asio::io_context& io, const std::function<bool()>& done) {
  while (!done()) {
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s BAUD tx|rx SECONDS\n", argv[0]);
    return 2;
  }
  UartSettings settings;
  settings.baud = static_cast<std::uint32_t>(std::stoul(argv[1]));
  const std::string direction = argv[2];
  const double seconds = std::stod(argv[3]);
  const double theoretical = settings.chars_per_second();
  const auto total = static_cast<std::size_t>(theoretical * seconds);

  spdlog::set_level(spdlog::level::warn);
  const std::string link_path =
      (std::filesystem::temp_directory_path() / ("simdev-pacing-" + std::to_string(::getpid()))).string();
  boost::asio::io_context io;
  PtyTransport pty(io.get_executor(), link_path);
  pty.open();
  simdev::trace::Tracer no_trace;
  UartLink link(io.get_executor(), pty, simdev::TimingMode::wire, settings, no_trace, "pacing", spdlog::default_logger());

  std::vector<Clock::time_point> arrivals;  // per byte, from the RxChunk schedule
  Clock::time_point first_delivery{}, last_delivery{};
  std::size_t first_delivery_bytes = 0, delivered = 0;
  link.set_rx_handler([&](const RxChunk& c) {
    const auto now = Clock::now();
    if (delivered == 0) {
      first_delivery = now;
      first_delivery_bytes = c.bytes.size();
    }
    last_delivery = now;
    delivered += c.bytes.size();
    for (std::size_t i = 0; i < c.bytes.size(); ++i) arrivals.push_back(c.arrival(i));
  });

  const int client = open_client(link_path);
  termios t{};
  ::tcgetattr(client, &t);
  ::cfmakeraw(&t);
  ::cfsetspeed(&t, speed_code(settings.baud));
  ::tcsetattr(client, TCSANOW, &t);
  link.start();
  run_until(io, [&] { return pty.attached(); });

  std::atomic<bool> client_done{false};
  nlohmann::json result{{"baud", settings.baud}, {"frame", simdev::serial::to_string(settings)},
                        {"theoretical_Bps", theoretical}, {"bytes", total}};

  if (direction == "tx") {
    Clock::time_point first_read{}, last_read{};
    std::size_t first_read_bytes = 0;
    std::thread reader([&] {
      std::vector<char> buf(65536);
      std::size_t got = 0;
      while (got < total) {
        const ssize_t n = ::read(client, buf.data(), buf.size());
        if (n <= 0) break;
        const auto now = Clock::now();
        if (got == 0) {
          first_read = now;
          first_read_bytes = static_cast<std::size_t>(n);
        }
        last_read = now;
        got += static_cast<std::size_t>(n);
      }
      client_done = true;
    });
    const std::vector<std::uint8_t> payload(total, 'U');
    link.write(payload);
    run_until(io, [&] { return client_done.load(); });
    reader.join();
    const double measured = static_cast<double>(total - first_read_bytes) / seconds_between(first_read, last_read);
    result["direction"] = "device_to_host";
    result["measured_Bps"] = measured;
    result["error_pct"] = error_pct(measured, theoretical);
  } else {
    std::thread writer([&] {
      const std::vector<char> payload(total, 'U');
      std::size_t sent = 0;
      while (sent < total) {
        const ssize_t n = ::write(client, payload.data() + sent, total - sent);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      client_done = true;
    });
    run_until(io, [&] { return delivered >= total; });
    writer.join();
    const double scheduled = static_cast<double>(total - 1) / seconds_between(arrivals.front(), arrivals.back());
    const double wall =
        static_cast<double>(total - first_delivery_bytes) / seconds_between(first_delivery, last_delivery);
    result["direction"] = "host_to_device";
    result["measured_Bps"] = wall;
    result["error_pct"] = error_pct(wall, theoretical);
    result["arrival_schedule_Bps"] = scheduled;
    result["arrival_schedule_error_pct"] = error_pct(scheduled, theoretical);
  }
  ::close(client);
  link.stop();
  std::cout << result.dump() << std::endl;
  return 0;
}
