#include "libsim/serial/pty_transport.hpp"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <boost/asio/buffer.hpp>

#include "libsim/serial/pty_line_speed.hpp"

namespace simdev::serial {
namespace {

std::runtime_error sys_error(const std::string& what) {
  return std::runtime_error("pty: " + what + ": " + std::strerror(errno));
}

// Opens a fresh master already in raw mode and in packet mode with EXTPROC, so every client tcsetattr
// is announced by a TIOCPKT_IOCTL status byte. Returns the master fd and the slave path.
int open_raw_master(std::string& slave_path) {
  const int fd = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) throw sys_error("posix_openpt");
  char name[128];
  if (::grantpt(fd) != 0 || ::unlockpt(fd) != 0 || ::ptsname_r(fd, name, sizeof name) != 0) {
    const auto err = sys_error("grantpt/unlockpt/ptsname_r");
    ::close(fd);
    throw err;
  }
  termios t{};
  if (::tcgetattr(fd, &t) != 0) {
    const auto err = sys_error("tcgetattr");
    ::close(fd);
    throw err;
  }
  ::cfmakeraw(&t);
  t.c_lflag |= EXTPROC;
  int one = 1;
  if (::tcsetattr(fd, TCSANOW, &t) != 0 || ::ioctl(fd, TIOCPKT, &one) != 0) {
    const auto err = sys_error("tcsetattr/TIOCPKT");
    ::close(fd);
    throw err;
  }
  slave_path = name;
  // Open and close the slave once so "no client yet" shows POLLHUP exactly like "client went away".
  const int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave >= 0) ::close(slave);
  return fd;
}

void replace_link_atomically(const std::string& target, const std::string& link) {
  struct stat st {};
  if (::lstat(link.c_str(), &st) == 0 && !S_ISLNK(st.st_mode)) {
    throw std::runtime_error("pty: " + link + " exists and is not a symlink");
  }
  const std::string tmp = link + ".tmp";
  ::unlink(tmp.c_str());
  if (::symlink(target.c_str(), tmp.c_str()) != 0) throw sys_error("symlink " + tmp);
  if (::rename(tmp.c_str(), link.c_str()) != 0) {
    const auto err = sys_error("rename " + tmp + " -> " + link);
    ::unlink(tmp.c_str());
    throw err;
  }
}

bool link_points_to(const std::string& link, const std::string& target) {
  char buf[256];
  const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf);
  return n > 0 && std::string(buf, static_cast<std::size_t>(n)) == target;
}

}  // namespace

PtyTransport::PtyTransport(const boost::asio::any_io_executor& ex, std::string link, PtyOptions options)
    : link_(std::filesystem::absolute(link).lexically_normal().string()),
      options_(options),
      master_(ex),
      watch_timer_(ex),
      tty_events_(ex) {}

PtyTransport::~PtyTransport() { close(); }

void PtyTransport::open() {
  if (opened_) return;
  const int fd = open_raw_master(slave_path_);
  try {
    replace_link_atomically(slave_path_, link_);
  } catch (...) {
    ::close(fd);
    throw;
  }
  master_.assign(fd);
  master_.non_blocking(true);  // gather_queued_input() reads synchronously and must never wait
  const int events = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (events >= 0 && ::inotify_add_watch(events, slave_path_.c_str(), IN_OPEN | IN_CLOSE) >= 0) {
    tty_events_.assign(events);
  } else if (events >= 0) {
    ::close(events);  // polling alone still works, only slower to notice
  }
  opened_ = true;
}

void PtyTransport::start(TransportEvents events) {
  open();
  events_ = std::move(events);
  started_ = true;
  refresh_attachment();
  update_watch();
  watch_open_close_events();
}

void PtyTransport::watch_open_close_events() {
  if (!tty_events_.is_open()) return;
  tty_events_.async_read_some(boost::asio::buffer(tty_events_buf_),
                              lifetime_.guard([this](const boost::system::error_code& ec, std::size_t) {
                                if (ec || !opened_) return;
                                refresh_attachment();
                                refresh_client_baud();  // termios outlive the client that set them
                                watch_open_close_events();
                              }));
}

bool PtyTransport::slave_held_open() {
  pollfd p{master_.native_handle(), POLLIN, 0};
  if (::poll(&p, 1, 0) < 0) return false;
  return (p.revents & POLLHUP) == 0;
}

void PtyTransport::refresh_attachment() {
  if (!opened_ || !started_) return;
  const bool held = slave_held_open();
  if (held && !attached_) note_attached();
  if (!held && attached_) note_detached();
}

void PtyTransport::note_attached() {
  attached_ = true;
  ++counters_.attaches;
  refresh_client_baud();
  if (events_.on_attach) events_.on_attach(true);
  read_next();
  update_watch();
}

void PtyTransport::note_detached() {
  attached_ = false;
  // Stop any write into the void first, so the flush below really leaves nothing for the next client.
  boost::system::error_code ignored;
  if (writing_) master_.cancel(ignored);
  const std::size_t dropped = out_.clear();
  counters_.bytes_dropped += dropped;
  flush_stale_client_input();
  if (events_.on_attach) events_.on_attach(false);
  if (dropped > 0 && drained_) drained_();
  update_watch();
}

void PtyTransport::flush_stale_client_input() {
  // Bytes the client left unread sit in the slave's input queue; flushing from the master does nothing.
  const int fd = ::open(slave_path_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return;
  ::tcflush(fd, TCIFLUSH);
  ::close(fd);
}

void PtyTransport::refresh_client_baud() {
  const auto speed = pty_client_speed(master_.native_handle());
  if (!speed || speed == client_baud_) return;
  client_baud_ = speed;
  if (events_.on_client_baud) events_.on_client_baud(*speed);
}

void PtyTransport::read_next() {
  if (reading_ || paused_ || !attached_ || !opened_) return;
  reading_ = true;
  const std::size_t limit = std::min(read_buf_.size(), options_.read_bytes + 1);  // + the packet status byte
  master_.async_read_some(boost::asio::buffer(read_buf_.data(), limit),
                          lifetime_.guard([this](const boost::system::error_code& ec, std::size_t n) { on_read(ec, n); }));
}

void PtyTransport::on_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  if (!opened_) return;
  if (ec == boost::asio::error::operation_aborted) {
    read_next();
    return;
  }
  if (ec) {
    // EIO: the last client closed. Never re-read (that spins); the watch timer notices the next open.
    if (attached_) note_detached();
    return;
  }
  if (n > 0) {
    const std::uint8_t status = read_buf_[0];
    if (status == TIOCPKT_DATA) {
      const ByteView data(read_buf_.data() + 1, gather_queued_input(n - 1));
      counters_.bytes_in += data.size();
      if (!data.empty() && events_.on_data) events_.on_data(data);
    } else if ((status & TIOCPKT_IOCTL) != 0) {
      refresh_client_baud();
    }
  }
  read_next();
}

// The line discipline hands out at most its 4 KiB read buffer per read and refills it from a kernel worker,
// so a fast host costs a wake-up per 4 KiB. When a read came back full, more is probably queued behind it:
// take it now, without going back to the loop, until the read size allows no more or the pty runs dry.
std::size_t PtyTransport::gather_queued_input(std::size_t have) {
  const std::size_t limit = std::min(read_buf_.size() - 1, options_.read_bytes);
  std::size_t last = have;
  while (last >= kFullLineDisciplineRead && have < limit) {
    std::uint8_t status = TIOCPKT_DATA;
    const std::array<boost::asio::mutable_buffer, 2> parts{
        boost::asio::buffer(&status, 1), boost::asio::buffer(read_buf_.data() + 1 + have, limit - have)};
    boost::system::error_code ec;  // would_block: dry; EIO: the next asynchronous read reports it
    const std::size_t n = master_.read_some(parts, ec);
    if (ec || n == 0) break;
    if (status != TIOCPKT_DATA) {
      if ((status & TIOCPKT_IOCTL) != 0) refresh_client_baud();
      break;
    }
    last = n - 1;
    have += last;
  }
  return have;
}

void PtyTransport::write(ByteView bytes) {
  if (bytes.empty()) return;
  // A client leaving is reported by inotify and by the read side's EIO; only a client arriving between
  // those notifications needs the poll, so an attached pty writes without one (a syscall per reply saved).
  if (!attached_) refresh_attachment();
  if (!attached_) {
    counters_.bytes_dropped += bytes.size();
    return;
  }
  out_.append(bytes);
  write_next();
}

void PtyTransport::write_next() {
  if (writing_ || out_.empty() || !attached_) return;
  writing_ = true;
  const ByteView chunk = out_.next();
  master_.async_write_some(
      boost::asio::buffer(chunk.data(), chunk.size()),
      lifetime_.guard([this](const boost::system::error_code& ec, std::size_t n) {
        writing_ = false;
        if (ec == boost::asio::error::operation_aborted || !opened_) return;
        out_.consumed(n);
        counters_.bytes_out += n;
        if (ec) {
          refresh_attachment();
          return;
        }
        if (out_.empty()) {
          if (drained_) drained_();
        } else {
          write_next();
        }
      }));
}

void PtyTransport::pause_reading(bool paused) {
  paused_ = paused;
  read_next();
  update_watch();
}

void PtyTransport::update_watch() {
  const bool needed = opened_ && started_ && (!attached_ || paused_);
  if (!needed || watching_) return;
  watching_ = true;
  watch_timer_.expires_after(options_.hup_poll_interval);
  watch_timer_.async_wait(lifetime_.guard([this](const boost::system::error_code& ec) {
    watching_ = false;
    if (ec) return;
    on_watch_tick();
  }));
}

void PtyTransport::on_watch_tick() {
  refresh_attachment();
  if (attached_) refresh_client_baud();
  update_watch();
}

void PtyTransport::close() {
  if (!opened_) return;
  opened_ = false;
  started_ = false;
  attached_ = false;
  watch_timer_.cancel();
  boost::system::error_code ignored;
  tty_events_.close(ignored);
  master_.close(ignored);
  if (link_points_to(link_, slave_path_)) ::unlink(link_.c_str());
}

nlohmann::json PtyTransport::describe() const {
  return {{"type", "pty"}, {"path", slave_path_}, {"link", link_}};
}

}  // namespace simdev::serial
