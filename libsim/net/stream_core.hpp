#pragma once
// Internal: the shared state behind a ByteStream, generic over a plain TCP socket or an ssl::stream.
// Handlers capture the core by shared_ptr, so it outlives the ByteStream handle until every operation has
// finished; `open` gates every callback so that nothing reaches the device after close().
#include <array>
#include <deque>
#include <memory>
#include <type_traits>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "libsim/net/byte_stream.hpp"
#include "libsim/net/socket_util.hpp"

namespace simdev::net {

inline constexpr std::chrono::seconds kTlsShutdownGrace{2};

template <class Stream>
class StreamCore : public std::enable_shared_from_this<StreamCore<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, boost::asio::ip::tcp::socket>;

  // `keep_alive` holds whatever the stream borrows (the ssl::context). `on_closed` runs once, on close().
  StreamCore(Stream stream, HostPort virtual_remote, std::shared_ptr<void> keep_alive, std::function<void()> on_closed)
      : keep_alive_(std::move(keep_alive)),
        stream_(std::move(stream)),
        virtual_remote_(std::move(virtual_remote)),
        on_closed_(std::move(on_closed)) {
    boost::system::error_code ec;
    local_ = to_host_port(stream_.lowest_layer().local_endpoint(ec));
    remote_ = to_host_port(stream_.lowest_layer().remote_endpoint(ec));
  }

  void read_some(ByteStream::ReadHandler handler) {
    if (!open_) return;
    read_handler_ = std::move(handler);
    stream_.async_read_some(boost::asio::buffer(buffer_),
                            [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) {
                              if (!self->open_) return;
                              if (ec == boost::asio::ssl::error::stream_truncated) ec = boost::asio::error::eof;
                              auto handler = std::move(self->read_handler_);
                              if (handler) handler(ec, ByteView(self->buffer_.data(), ec ? 0 : n));
                            });
  }

  void write(Bytes data, ByteStream::WriteHandler handler) {
    if (!open_) return;
    backlog_ += data.size();
    queue_.push_back({std::move(data), std::move(handler)});
    if (queue_.size() == 1) write_front();
  }

  std::size_t backlog() const { return backlog_; }
  bool is_open() const { return open_; }
  int native_handle() { return open_ ? stream_.lowest_layer().native_handle() : -1; }
  const HostPort& local() const { return local_; }
  const HostPort& remote() const { return remote_; }
  const HostPort& virtual_remote() const { return virtual_remote_; }

  void close() {
    if (!open_) return;
    open_ = false;
    read_handler_ = nullptr;
    queue_.clear();
    backlog_ = 0;
    if (auto done = std::move(on_closed_)) done();
    if constexpr (kTls) {
      // close_notify goes out in the background; the timer bounds how long we wait for the peer's.
      boost::system::error_code ignored;
      stream_.lowest_layer().cancel(ignored);
      auto timer = std::make_shared<boost::asio::steady_timer>(stream_.get_executor(), kTlsShutdownGrace);
      timer->async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
        if (!ec) self->close_socket();
      });
      // Posted so the cancelled read/write complete before the shutdown uses the engine.
      boost::asio::post(stream_.get_executor(), [self = this->shared_from_this(), timer] {
        self->stream_.async_shutdown([self, timer](boost::system::error_code) {
          timer->cancel();
          self->close_socket();
        });
      });
    } else {
      close_socket();
    }
  }

 private:
  struct PendingWrite {
    Bytes data;
    ByteStream::WriteHandler handler;
  };

  void write_front() {
    boost::asio::async_write(stream_, boost::asio::buffer(queue_.front().data),
                             [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) {
                               if (!self->open_) return;
                               auto done = std::move(self->queue_.front());
                               self->queue_.pop_front();
                               self->backlog_ -= done.data.size();
                               if (ec) {
                                 // Later writes cannot succeed either; fail them all, in order.
                                 auto rest = std::move(self->queue_);
                                 self->queue_.clear();
                                 self->backlog_ = 0;
                                 if (done.handler) done.handler(ec, n);
                                 for (auto& w : rest) {
                                   if (!self->open_) break;
                                   if (w.handler) w.handler(ec, 0);
                                 }
                                 return;
                               }
                               if (!self->queue_.empty()) self->write_front();
                               if (done.handler) done.handler(ec, n);
                             });
  }

  void close_socket() {
    boost::system::error_code ignored;
    stream_.lowest_layer().shutdown(boost::asio::socket_base::shutdown_both, ignored);
    stream_.lowest_layer().close(ignored);
  }

  std::shared_ptr<void> keep_alive_;
  Stream stream_;
  HostPort local_;
  HostPort remote_;
  HostPort virtual_remote_;
  std::function<void()> on_closed_;
  bool open_ = true;
  std::array<std::uint8_t, 16384> buffer_{};
  ByteStream::ReadHandler read_handler_;
  std::deque<PendingWrite> queue_;
  std::size_t backlog_ = 0;
};

// The device-facing handle: destroying it closes the stream.
template <class Stream>
class StreamHandle final : public ByteStream {
 public:
  explicit StreamHandle(std::shared_ptr<StreamCore<Stream>> core) : core_(std::move(core)) {}
  ~StreamHandle() override { core_->close(); }

  void async_read_some(ReadHandler handler) override { core_->read_some(std::move(handler)); }
  void async_write(Bytes data, WriteHandler handler) override { core_->write(std::move(data), std::move(handler)); }
  std::size_t write_backlog() const override { return core_->backlog(); }
  void close() override { core_->close(); }
  bool is_open() const override { return core_->is_open(); }
  HostPort local() const override { return core_->local(); }
  HostPort remote() const override { return core_->remote(); }
  HostPort virtual_remote() const override { return core_->virtual_remote(); }
  bool is_tls() const override { return StreamCore<Stream>::kTls; }
  int native_handle() const override { return core_->native_handle(); }

 private:
  std::shared_ptr<StreamCore<Stream>> core_;
};

template <class Stream>
std::unique_ptr<ByteStream> make_byte_stream(Stream stream, HostPort virtual_remote, std::shared_ptr<void> keep_alive,
                                             std::function<void()> on_closed) {
  auto core = std::make_shared<StreamCore<Stream>>(std::move(stream), std::move(virtual_remote), std::move(keep_alive),
                                                   std::move(on_closed));
  return std::make_unique<StreamHandle<Stream>>(std::move(core));
}

}  // namespace simdev::net
