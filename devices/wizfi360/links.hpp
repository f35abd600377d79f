#pragma once
// The five TCP/IP links of the WizFi360 (ids 0-4; single-connection mode uses id 0) and the messages they print
// on their own: CONNECT / CLOSED / +IPD (§1.9, §1.10).
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "devices/wizfi360/escape_detector.hpp"
#include "libsim/net/byte_stream.hpp"
#include "libsim/net/host_port.hpp"
#include "libsim/net/virtual_network.hpp"

namespace simdev::wizfi360 {

class Module;

// Timing and sizes of the link layer, from the "tcpip" object of the device configuration.
struct LinkTiming {
  std::chrono::milliseconds connect_timeout{10000};   // a TCP connect that hangs gives up after this
  std::chrono::milliseconds connect_fail_delay{1000};  // a refused connect is reported this late (hardware retries)
  // Socket reads pause while more than this many bytes wait in the serial TX queue, and resume once it drained:
  // a host that reads slowly backs the peer up through TCP instead of losing +IPD data.
  std::size_t rx_pause_backlog = 4096;
  std::chrono::milliseconds cipsto_unit{1000};  // one AT+CIPSTO unit (a second on the module)
  std::size_t sendbuf_bytes = 21900;            // CIPSENDBUF's TCP send buffer
  long sendbuf_queue = 8;                       // CIPBUFSTATUS queue number with nothing in flight
  EscapeTiming send_escape;  // `+++` that cancels CIPSEND data entry ("escape_guard_ms", "escape_settle_ms")
  static LinkTiming from_json(const nlohmann::json& tcpip);
};

// CIPSENDBUF bookkeeping of one link (§1.8, decision 40).
struct SendBuffer {
  std::uint32_t next = 1;    // segment id the next CIPSENDBUF gets
  std::uint32_t sent = 0;    // last segment handed to the socket
  std::uint32_t acked = 0;   // last segment the socket write completed for
  std::uint32_t failed = 0;  // first segment whose write failed (0: none)
  std::size_t in_flight = 0;  // bytes written and not yet completed
  long segments_in_flight = 0;
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
  int keepalive_s = 0;  // TCP keepalive asked for at CIPSTART (0: off)
  bool read_paused = false;  // socket reads wait for the serial TX queue to drain
  SendBuffer sendbuf;
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
  const Link& at(int id) const { return links_[static_cast<std::size_t>(id)]; }
  bool any_open() const;
  bool ever_opened() const { return ever_opened_; }
  // A session of another family (MQTT) took a link id: counts as an opened link for STATUS 4.
  void note_opened() { ever_opened_ = true; }
  // The peer address CIPSTATUS shows for an open link. The module only ever knows IPv4 addresses: a literal
  // shows itself; a name shows what CIPDOMAIN would answer for it (the IPv4-literal map rule with the same
  // target, else the host address actually connected to, else the mapped target when it is a literal).
  std::string reported_host(int id) const;
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
  // While quiet (a passthrough session owns the serial line), link state changes print nothing: a peer close
  // prints no CLOSED and connect_tcp prints neither CONNECT nor CONNECT FAIL/DNS Fail.
  void set_quiet(bool quiet) { quiet_ = quiet; }
  // Called after a link closed by itself (peer close, error, idle timeout) has printed CLOSED (unless quiet).
  void set_close_observer(std::function<void(int id)> observer) { close_observer_ = std::move(observer); }

  // UDP only: one datagram to `destination` instead of the link's peer.
  void send_to(int id, const net::HostPort& destination, Bytes payload, std::function<void(bool ok)> done);
  // TCP: queues bytes behind earlier writes without taking the single CIPSEND completion slot; `done(ok)` runs
  // when the socket took them, never after the link closed.
  void write(int id, Bytes payload, std::function<void(bool ok)> done);

  // ---- server (CIPSERVER, CIPSERVERMAXCONN, CIPSTO) ----
  struct ServerSettings {
    long max_conn = 4;
    long timeout_s = 180;  // CIPSTO; 0 = never
  };
  ServerSettings& server_settings() { return server_settings_; }
  bool server_running() const { return listener_ != nullptr || server_without_network_; }
  // Listens on the device port (host port from the listen map); false with the error when the bind fails.
  bool start_server(std::uint16_t device_port, boost::system::error_code& ec);
  // Stops listening; links already accepted stay open.
  void stop_server();
  std::uint16_t server_port() const { return server_port_; }

  const LinkTiming& timing() const { return timing_; }

 private:
  void report_connect_failure(int id, bool dns, std::function<void()> done);
  void install_connected(int id, std::string type, std::unique_ptr<net::ByteStream> stream,
                         const net::HostPort& destination, int keepalive_s);
  void read_next(int id);
  void deliver(int id, const net::HostPort& source, ByteView data);
  void finish_send(int id, bool ok);
  void drop(int id);  // closes the stream, fails a pending send
  bool serial_backed_up() const;
  void resume_reads();
  void accept(std::unique_ptr<net::ByteStream> stream);
  void touch(int id);  // a server link saw traffic: restart its idle timer
  void closed_by_itself(int id);

  Module& module_;
  net::VirtualNetwork* network_;
  LinkTiming timing_;
  std::array<Link, kCount> links_;
  std::array<std::function<void(bool)>, kCount> send_done_;
  std::unique_ptr<net::PendingConnect> pending_;
  bool mux_ = false;
  bool dinfo_ = false;
  bool ever_opened_ = false;
  bool quiet_ = false;
  long connect_attempts_ = 0;  // TCP connects started since power-up (state: passthrough reconnects show here)
  Receiver receiver_;
  std::function<void(int id)> close_observer_;
  ServerSettings server_settings_;
  std::unique_ptr<net::TcpListener> listener_;
  std::uint16_t server_port_ = 0;
  bool server_without_network_ = false;
  std::array<std::unique_ptr<boost::asio::steady_timer>, kCount> idle_timers_;
};

}  // namespace simdev::wizfi360
