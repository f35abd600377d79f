#pragma once
// The single AT-mode socket (id 0) on real host sockets: TCP listener with one peer, TCP client, UDP.
// It produces the asynchronous outputs of spec §1.5 ([S,0], [F,0,8], [V,0,n], [R,...]).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "devices/wiz550s2e/addresses.hpp"
#include "devices/wiz550s2e/device_config.hpp"
#include "libsim/mqtt/client.hpp"
#include "libsim/net/virtual_network.hpp"

namespace simdev::wiz550s2e {

struct Peer {
  std::string ip;  // virtual address as the module reports it
  std::uint16_t port = 0;
};

class AtSocket {
 public:
  enum class Kind { idle, server, client, udp, mqtt };

  struct Hooks {
    std::function<void(std::string_view)> output;  // to serial
    std::function<bool()> serial_has_room;         // false: stop reading the stream until resume_reading()
    std::function<void(bool)> hold_input;          // the firmware blocks on CONNACK after [S,0]
  };

  AtSocket(boost::asio::any_io_executor executor, net::VirtualNetwork* network, const DeviceConfig& config,
           Hooks hooks);
  ~AtSocket();

  Kind kind() const { return kind_; }
  bool in_use() const { return kind_ != Kind::idle; }
  bool busy() const { return connecting_ || closing_; }
  bool tcp_connected() const { return stream_ != nullptr || mqtt_transport_up_; }
  bool mqtt_active() const { return kind_ == Kind::mqtt && mqtt_transport_up_; }
  std::uint16_t local_port() const { return local_port_; }
  const std::optional<Peer>& udp_peer() const { return udp_peer_; }
  // W5500 TX buffer space left (2 KiB per socket).
  std::size_t tx_free() const;

  // Each returns the immediate response; later events go through hooks.output.
  std::string open_server(std::uint16_t port);
  std::string open_client(std::uint16_t local_port, const Ip4& ip, std::uint16_t port);
  std::string open_udp(std::uint16_t local_port, std::optional<Peer> peer);
  // AT+MQTTCON=1: [W,0] now, [S,0] once TCP is up (CONNECT follows; its result is not reported).
  std::string open_mqtt(mqtt::ClientOptions options, std::uint16_t local_port, const Ip4& ip, std::uint16_t port);
  std::string close();
  // QoS 0 publish of an AT+MQTTPUB payload; writes [S,0] or [F,,13].
  void publish(const std::string& topic, Bytes payload);
  // AT+MQTTSUB: `done(accepted)` after SUBACK/UNSUBACK or the MQTT command timeout.
  void subscribe(bool subscribe, const std::string& topic, std::function<void(bool)> done);
  // Sends one AT+NSEND payload; the result line ([S,0], [F,,13], [F,,14]) is written when it is known.
  void send(Bytes data, std::optional<Peer> udp_destination);
  // Silent teardown (AT+MDATA, trigger, reset).
  void release();
  void resume_reading();

  // AT+NSOCK line ("0,S,5000,192.168.0.3,40001"), empty when idle; and the AT+NSOCK=0 fields.
  std::string describe() const;
  std::vector<std::string> describe_fields() const;

 private:
  void on_accept(std::unique_ptr<net::ByteStream> stream);
  void on_connected(const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> stream);
  void read_next();
  void on_read(const boost::system::error_code& ec, ByteView data);
  void on_peer_gone();
  void on_datagram(const net::Datagram& d);
  void emit_received(ByteView data, const std::vector<std::string>& extra);
  void reset_state();
  void on_mqtt_connect(int rc);
  void on_mqtt_lost();
  void finish_mqtt_command(bool accepted);

  boost::asio::any_io_executor executor_;
  net::VirtualNetwork* network_;
  const DeviceConfig& config_;
  Hooks hooks_;

  Kind kind_ = Kind::idle;
  std::uint16_t local_port_ = 0;
  bool connecting_ = false;
  bool closing_ = false;
  bool address_refused_ = false;  // connect() rejected the address: the slot stays in use (spec §1.5)
  bool reading_ = false;
  bool read_paused_ = false;
  std::optional<Peer> peer_;      // TCP peer
  std::optional<Peer> udp_peer_;  // stored UDP default peer
  std::unique_ptr<net::TcpListener> listener_;
  std::unique_ptr<net::ByteStream> stream_;
  std::unique_ptr<net::UdpSocket> udp_;
  std::unique_ptr<net::PendingConnect> pending_;
  std::unique_ptr<mqtt::Client> mqtt_;
  bool mqtt_transport_up_ = false;
  int mqtt_pending_mid_ = 0;
  std::function<void(bool)> mqtt_command_done_;
  boost::asio::steady_timer mqtt_command_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simdev::wiz550s2e
