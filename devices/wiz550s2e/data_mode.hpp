#pragma once
// Data mode (spec §3): the working mode's socket on real host sockets, the 1024-byte serial ring with packing,
// the connection password, reconnection and inactivity timers, and network -> serial with back-pressure.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "devices/wiz550s2e/device_config.hpp"
#include "devices/wiz550s2e/packer.hpp"
#include "devices/wiz550s2e/settings.hpp"
#include "libsim/mqtt/client.hpp"
#include "libsim/net/virtual_network.hpp"
#include "libsim/serial/serial_port.hpp"

namespace simdev::wiz550s2e {

class DataMode {
 public:
  using Clock = serial::Clock;
  enum class Status : std::uint8_t { disconnected = 0, connected = 1, udp = 2 };

  struct Hooks {
    std::function<void(ByteView)> to_serial;
    std::function<std::size_t()> serial_backlog;
    std::function<void(Clock::time_point)> drained;      // bytes left the serial ring for the network
    std::function<void(Status)> status;                  // live "state" byte
    std::function<void(std::uint16_t)> learned_port;     // UDP: the peer port learned from a datagram
    std::function<void(bool)> pause_serial;              // stop taking host bytes while the network lags
  };

  DataMode(boost::asio::any_io_executor executor, net::VirtualNetwork* network, const DeviceConfig& config,
           Hooks hooks);
  ~DataMode();

  void start(const Settings& settings);
  // Closes the socket (TCP FIN, MQTT DISCONNECT) and forgets buffered data.
  void stop();
  // `arrival`: when the last of these bytes reached the RX pin.
  void on_serial(ByteView bytes, Clock::time_point arrival);
  void on_serial_drained();
  bool running() const { return running_; }
  bool connected() const;
  // Pending serial bytes are dropped when the trigger succeeds.
  void clear_serial() { ring_.clear(); }
  nlohmann::json state() const;

 private:
  enum class Role { none, listening, authenticating, connected_in, connecting, connected_out, udp, mqtt };

  void listen();
  void dial();
  void schedule_dial();
  void on_dialled(const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> stream);
  void on_accept(std::unique_ptr<net::ByteStream> stream);
  void connection_ended();
  void close_connection();
  void read_next();
  void on_read(const boost::system::error_code& ec, ByteView data);
  void authenticate(ByteView data);
  void deliver(ByteView data);
  void open_udp();
  void open_mqtt();
  // `when`: the moment the ring's count changes by sending (the trigger's guard restarts there).
  void flush_serial(Clock::time_point when);
  bool passes_straight_through() const;
  void send_through(ByteView bytes, Clock::time_point arrival);
  void arm_pack_timer();
  void arm_auth_timer();
  void arm_inactivity_timer();
  void note_traffic();
  bool may_send() const;
  bool serial_has_room(std::size_t n) const;
  void set_status(Status s);
  void send_chunk(Bytes chunk);
  void check_network_backlog();

  boost::asio::any_io_executor executor_;
  net::VirtualNetwork* network_;
  const DeviceConfig& config_;
  Hooks hooks_;
  Settings settings_;
  Packer packer_{PackingRules{}};

  bool running_ = false;
  Role role_ = Role::none;
  Bytes ring_;  // contiguous, so runs are copied in and out whole
  bool pack_time_elapsed_ = false;
  Bytes auth_buffer_;
  bool read_paused_ = false;
  bool reading_ = false;
  Clock::time_point last_dial_{};
  bool dialled_once_ = false;
  std::uint16_t udp_peer_port_ = 0;
  std::uint64_t traffic_ = 0;
  std::uint64_t traffic_seen_ = 0;
  unsigned idle_ticks_ = 0;

  std::unique_ptr<net::TcpListener> listener_;
  std::unique_ptr<net::ByteStream> stream_;
  std::unique_ptr<net::UdpSocket> udp_;
  std::unique_ptr<net::PendingConnect> pending_;
  std::shared_ptr<mqtt::Client> mqtt_;
  bool mqtt_up_ = false;
  bool serial_paused_ = false;
  std::deque<Bytes> udp_backlog_;
  boost::asio::steady_timer pack_timer_;
  boost::asio::steady_timer auth_timer_;
  boost::asio::steady_timer dial_timer_;
  boost::asio::steady_timer inactivity_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simdev::wiz550s2e
