#pragma once
// The five TCP/IP links of the WizFi360 (ids 0-4; single-connection mode uses id 0) and the messages they print
// on their own: CONNECT / CLOSED / +IPD (§1.9, §1.10).
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "libsim/net/byte_stream.hpp"
#include "libsim/net/host_port.hpp"
#include "libsim/net/virtual_network.hpp"

namespace simdev::wizfi360 {

class Module;

// Timing of the link layer, from the "tcpip" object of the device configuration.
struct LinkTiming {
  std::chrono::milliseconds connect_timeout{10000};   // a TCP connect that hangs gives up after this
  std::chrono::milliseconds connect_fail_delay{1000};  // a refused connect is reported this late (hardware retries)
  static LinkTiming from_json(const nlohmann::json& tcpip);
};

struct Link {
  std::string type;  // "TCP", "UDP", "SSL", or "MQTT"/"MQTTS" for a held session
  std::unique_ptr<net::ByteStream> stream;
  std::unique_ptr<net::UdpSocket> udp;
  int udp_mode = 0;            // 0 fixed peer, 1 the peer may change once, 2 the peer follows every sender
  bool peer_changed = false;   // udp_mode 1: the one change happened
  std::uint16_t local_port = 0;
  net::HostPort remote;  // as the client named it
  bool server = false;
  bool send_pending = false;  // a CIPSEND payload is on its way; SEND OK/FAIL still owed
  // A session without a stream of ours occupies the id (MQTT/MQTTS): `release` tears it down when the link is
  // dropped (CIPCLOSE, reset); it must not print anything.
  bool held = false;
  std::function<void()> release;
  bool open() const { return stream != nullptr || udp != nullptr || held; }
};

class Links {
 public:
  static constexpr int kCount = 5;
  static constexpr int kAll = 5;  // CIPCLOSE=5
  static constexpr std::size_t kMaxChunk = 2048;  // CIPSEND limit and +IPD split size

  Links(Module& module, net::VirtualNetwork* network, LinkTiming timing);
  ~Links();

  // Closes every link without printing (reboot, shutdown).
  void reset();

  bool& mux() { return mux_; }
  bool& dinfo() { return dinfo_; }
  Link& at(int id) { return links_[static_cast<std::size_t>(id)]; }
  bool any_open() const;
  bool ever_opened() const { return ever_opened_; }
  // "" in single mode, "<id>," in multi mode: the prefix of CONNECT, CLOSED and friends.
  std::string prefix(int id) const;

  // For Device::state(): {"mux":..,"dinfo":..,"links":[{"id":0,"type":"TCP","remote":"host:port","local_port":..}]}
  nlohmann::json to_json() const;

  // Opens a TCP link; `done(true)` once CONNECT has been printed, `done(false)` after the failure was printed.
  void connect_tcp(int id, const net::HostPort& destination, int keepalive_s, std::function<void()> done);
  void cancel_connect();
  // Opens a UDP link bound to `local_port` (0: any) and prints CONNECT; false (nothing printed) when the bind fails.
  bool open_udp(int id, const net::HostPort& remote, std::uint16_t local_port, int mode);
  // Closes an open link and prints `[<id>,]CLOSED`.
  void close(int id);
  // Writes a CIPSEND payload; `done(ok)` when the socket accepted it (or failed / the link went away).
  void send(int id, Bytes payload, std::function<void(bool ok)> done);
  // Opens a TLS link (links_ssl.cpp); same messages and `done` contract as connect_tcp.
  void connect_ssl(int id, const net::HostPort& destination, int keepalive_s, const net::TlsOptions& tls,
                   std::function<void()> done);
  // Links of type SSL, MQTTS (one TLS session at a time, §5).
  int tls_sessions() const;

  // Received data normally prints +IPD; while a receiver is set (passthrough) it gets the bytes raw instead.
  using Receiver = std::function<void(int id, ByteView data)>;
  void set_receiver(Receiver receiver) { receiver_ = std::move(receiver); }
  // Called after a link closed by itself (peer close, error, idle timeout) has printed CLOSED.
  void set_close_observer(std::function<void(int id)> observer) { close_observer_ = std::move(observer); }

  // UDP only: one datagram to `destination` instead of the link's peer.
  void send_to(int id, const net::HostPort& destination, Bytes payload, std::function<void(bool ok)> done);

 private:
  void read_next(int id);
  void deliver(int id, const net::HostPort& source, ByteView data);
  void finish_send(int id, bool ok);
  void drop(int id);  // closes the stream, fails a pending send

  Module& module_;
  net::VirtualNetwork* network_;
  LinkTiming timing_;
  std::array<Link, kCount> links_;
  std::array<std::function<void(bool)>, kCount> send_done_;
  std::unique_ptr<net::PendingConnect> pending_;
  bool mux_ = false;
  bool dinfo_ = false;
  bool ever_opened_ = false;
  Receiver receiver_;
  std::function<void(int id)> close_observer_;
};

}  // namespace simdev::wizfi360
