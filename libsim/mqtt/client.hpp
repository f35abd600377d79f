#pragma once
// MQTT 3.1.1 client on the shared io_context: libmosquitto driven through its external-loop API
// (stack.md §4.2). The broker address goes through the device's VirtualNetwork (address map, then asynchronous
// resolution); libmosquitto is handed a numeric IP so it never blocks on DNS.
//
// Callbacks (all optional, all on the loop):
//   on_connect(rc)        once per connect()/reconnect(): rc = CONNACK code (0 accepted, 1..5 refused) or one of the
//                         negative codes below when no CONNACK arrived.
//   on_disconnect(rc)     once per session that was accepted (on_connect(0)): rc 0 after disconnect(), else lost.
//   on_message(t, p, q, r) a PUBLISH arrived.
//   on_subscribe(mid, granted) SUBACK; granted QoS per topic (128 = refused).
//   on_publish(mid)       the publish with that mid is complete (sent for QoS 0, acknowledged for QoS 1/2).
//   on_transport_up()     the TCP connection to the broker is established (before TLS/CONNECT); optional.
// Reconnection is the caller's policy: call reconnect() (e.g. from a timer) after a loss.
//
// Lifetime: after the Client is destroyed no callback runs. It may be destroyed from inside its own callbacks.
// The VirtualNetwork must outlive it.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "libsim/mqtt/client_options.hpp"
#include "libsim/net/host_port.hpp"
#include "libsim/util/bytes.hpp"

namespace simdev::net {
class VirtualNetwork;
}

namespace simdev::mqtt {

// on_connect codes when there was no CONNACK.
inline constexpr int kResolveFailed = -1;   // broker name did not resolve
inline constexpr int kTransportFailed = -2; // TCP refused/reset, TLS handshake or certificate failure
inline constexpr int kTimedOut = -3;        // connect_timeout expired
inline constexpr int kInvalidOptions = -4;  // bad options (e.g. unusable TLS PEM); see the log

enum class State { idle, connecting, connected, disconnecting };

class Client {
 public:
  std::function<void(int rc)> on_connect;
  std::function<void(int rc)> on_disconnect;
  std::function<void(const std::string& topic, ByteView payload, int qos, bool retain)> on_message;
  std::function<void(int mid, const std::vector<int>& granted_qos)> on_subscribe;
  std::function<void(int mid)> on_publish;
  std::function<void()> on_transport_up;

  Client(net::VirtualNetwork& network, ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Starts a session to a virtual broker address. Any current session is dropped first (no on_disconnect).
  void connect(const net::HostPort& broker);
  // Connects again to the last broker with the same options.
  void reconnect();
  // Sends DISCONNECT and closes; on_disconnect(0) follows when a session was up.
  void disconnect();
  // Drops the connection without DISCONNECT (the broker publishes the will); no callback.
  void abort();

  // Return the message id (> 0), or a negative libmosquitto error (e.g. -MOSQ_ERR_NO_CONN) when refused at once.
  int publish(const std::string& topic, ByteView payload, int qos = 0, bool retain = false);
  int subscribe(const std::string& topic, int qos = 0);
  int unsubscribe(const std::string& topic);

  State state() const;
  bool connected() const { return state() == State::connected; }
  const ClientOptions& options() const;
  // Replace options for the next connect()/reconnect().
  void set_options(ClientOptions options);
  // Local and remote host endpoints of the current connection (empty host when not connected).
  net::HostPort local() const;
  net::HostPort remote() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace simdev::mqtt
