#pragma once
// A stream server that serves one client at a time, shared by the tcp and unix transports. A second client
// that connects while one is attached is closed at once.
#include <array>
#include <functional>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>

#include "libsim/serial/lifetime.hpp"
#include "libsim/serial/output_buffer.hpp"
#include "libsim/serial/transport.hpp"

namespace simdev::serial {

template <class Protocol>
class SocketServerTransport : public Transport {
 public:
  using Endpoint = typename Protocol::endpoint;
  using Acceptor = typename Protocol::acceptor;
  using Socket = typename Protocol::socket;

  SocketServerTransport(const boost::asio::any_io_executor& ex, Endpoint endpoint)
      : endpoint_(std::move(endpoint)), acceptor_(ex), client_(ex) {}

  void start(TransportEvents events) override {
    open();
    events_ = std::move(events);
    started_ = true;
    accept_next();
  }

  void write(ByteView bytes) override {
    if (bytes.empty()) return;
    if (!attached_) {
      counters_.bytes_dropped += bytes.size();
      return;
    }
    out_.append(bytes);
    write_next();
  }
  std::size_t pending_output() const override { return out_.size(); }
  void set_output_drained_handler(std::function<void()> handler) override { drained_ = std::move(handler); }
  void pause_reading(bool paused) override {
    paused_ = paused;
    read_next();
  }
  bool attached() const override { return attached_; }
  const TransportCounters& counters() const override { return counters_; }

 protected:
  // Binds, runs `after_bind`, listens; EndpointInUse when the address is taken.
  void listen_on(const Endpoint& endpoint, bool reuse_address, const std::function<void()>& after_bind = {}) {
    boost::system::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec && reuse_address) acceptor_.set_option(typename Acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (ec == boost::asio::error::address_in_use) {
      acceptor_.close();
      throw EndpointInUse(describe_endpoint() + ": address in use");
    }
    if (!ec && after_bind) after_bind();
    if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
    if (ec) {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      throw std::runtime_error(describe_endpoint() + ": " + ec.message());
    }
    opened_ = true;
  }
  void stop_listening() {
    boost::system::error_code ignored;
    opened_ = false;
    started_ = false;
    acceptor_.close(ignored);
    if (attached_) detach();
  }
  virtual std::string describe_endpoint() const = 0;
  virtual void on_client_connected(Socket&) {}

  Endpoint endpoint_;
  Acceptor acceptor_;
  bool opened_ = false;

 private:
  void accept_next() {
    if (!opened_) return;
    acceptor_.async_accept(lifetime_.guard([this](const boost::system::error_code& ec, Socket socket) {
      if (!opened_) return;
      if (!ec) {
        if (attached_) {
          boost::system::error_code ignored;
          socket.close(ignored);  // one client at a time
        } else {
          attach(std::move(socket));
        }
      }
      accept_next();
    }));
  }

  void attach(Socket socket) {
    client_ = std::move(socket);
    on_client_connected(client_);
    attached_ = true;
    ++counters_.attaches;
    if (events_.on_attach) events_.on_attach(true);
    read_next();
  }

  void detach() {
    attached_ = false;
    boost::system::error_code ignored;
    client_.close(ignored);
    const std::size_t dropped = out_.clear();
    counters_.bytes_dropped += dropped;
    if (events_.on_attach) events_.on_attach(false);
    if (dropped > 0 && drained_) drained_();
  }

  void read_next() {
    if (reading_ || paused_ || !attached_) return;
    reading_ = true;
    client_.async_read_some(boost::asio::buffer(read_buf_),
                            lifetime_.guard([this](const boost::system::error_code& ec, std::size_t n) {
                              reading_ = false;
                              if (ec == boost::asio::error::operation_aborted) {
                                read_next();  // the previous client's read; a new client may be waiting
                                return;
                              }
                              if (ec) {
                                if (attached_) detach();
                                return;
                              }
                              counters_.bytes_in += n;
                              if (events_.on_data) events_.on_data(ByteView(read_buf_.data(), n));
                              read_next();
                            }));
  }

  void write_next() {
    if (writing_ || out_.empty() || !attached_) return;
    writing_ = true;
    const ByteView chunk = out_.next();
    client_.async_write_some(boost::asio::buffer(chunk.data(), chunk.size()),
                             lifetime_.guard([this](const boost::system::error_code& ec, std::size_t n) {
                               writing_ = false;
                               if (ec == boost::asio::error::operation_aborted) {
                                 write_next();
                                 return;
                               }
                               if (ec) {
                                 if (attached_) detach();
                                 return;
                               }
                               out_.consumed(n);
                               counters_.bytes_out += n;
                               if (out_.empty()) {
                                 if (drained_) drained_();
                               } else {
                                 write_next();
                               }
                             }));
  }

  Socket client_;
  TransportEvents events_;
  std::function<void()> drained_;
  TransportCounters counters_;
  OutputBuffer out_;
  std::array<std::uint8_t, 4096> read_buf_{};
  bool started_ = false;
  bool attached_ = false;
  bool paused_ = false;
  bool reading_ = false;
  bool writing_ = false;
  Lifetime lifetime_;
};

}  // namespace simdev::serial
