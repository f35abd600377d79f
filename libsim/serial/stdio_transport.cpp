#include "libsim/serial/stdio_transport.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <boost/asio/buffer.hpp>

namespace simdev::serial {

StdioTransport::StdioTransport(const boost::asio::any_io_executor& ex, int in_fd, int out_fd)
    : in_fd_(in_fd), out_fd_(out_fd), in_(ex), out_stream_(ex) {}

StdioTransport::~StdioTransport() { close(); }

void StdioTransport::open() {
  if (opened_) return;
  const int in = ::fcntl(in_fd_, F_DUPFD_CLOEXEC, 3);
  const int out = ::fcntl(out_fd_, F_DUPFD_CLOEXEC, 3);
  if (in < 0 || out < 0) {
    const std::string err = std::strerror(errno);
    if (in >= 0) ::close(in);
    if (out >= 0) ::close(out);
    throw std::runtime_error("stdio: cannot duplicate stdin/stdout: " + err);
  }
  in_flags_ = ::fcntl(in, F_GETFL);
  out_flags_ = ::fcntl(out, F_GETFL);
  in_.assign(in);
  out_stream_.assign(out);
  opened_ = true;
}

void StdioTransport::start(TransportEvents events) {
  open();
  events_ = std::move(events);
  attached_ = true;
  ++counters_.attaches;
  if (events_.on_attach) events_.on_attach(true);
  read_next();
}

void StdioTransport::read_next() {
  if (reading_ || paused_ || !attached_ || !opened_) return;
  reading_ = true;
  in_.async_read_some(boost::asio::buffer(read_buf_),
                      lifetime_.guard([this](const boost::system::error_code& ec, std::size_t n) {
                        reading_ = false;
                        if (!opened_ || ec == boost::asio::error::operation_aborted) return;
                        if (ec) {  // EOF: the host is gone for good
                          detach();
                          return;
                        }
                        counters_.bytes_in += n;
                        if (events_.on_data) events_.on_data(ByteView(read_buf_.data(), n));
                        read_next();
                      }));
}

void StdioTransport::detach() {
  if (!attached_) return;
  attached_ = false;
  boost::system::error_code ignored;
  if (writing_) out_stream_.cancel(ignored);
  const std::size_t dropped = out_.clear();
  counters_.bytes_dropped += dropped;
  if (events_.on_attach) events_.on_attach(false);
  if (dropped > 0 && drained_) drained_();
}

void StdioTransport::write(ByteView bytes) {
  if (bytes.empty()) return;
  if (!attached_) {
    counters_.bytes_dropped += bytes.size();
    return;
  }
  out_.append(bytes);
  write_next();
}

void StdioTransport::write_next() {
  if (writing_ || out_.empty() || !attached_) return;
  writing_ = true;
  const ByteView chunk = out_.next();
  out_stream_.async_write_some(boost::asio::buffer(chunk.data(), chunk.size()),
                               lifetime_.guard([this](const boost::system::error_code& ec, std::size_t n) {
                                 writing_ = false;
                                 if (!opened_ || ec == boost::asio::error::operation_aborted) return;
                                 if (ec) {  // stdout closed (EPIPE)
                                   detach();
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

void StdioTransport::pause_reading(bool paused) {
  paused_ = paused;
  read_next();
}

void StdioTransport::close() {
  if (!opened_) return;
  opened_ = false;
  attached_ = false;
  boost::system::error_code ignored;
  if (in_flags_ >= 0) ::fcntl(in_.native_handle(), F_SETFL, in_flags_);
  if (out_flags_ >= 0) ::fcntl(out_stream_.native_handle(), F_SETFL, out_flags_);
  in_.close(ignored);
  out_stream_.close(ignored);
}

}  // namespace simdev::serial
