#include "devices/wiz550s2e/config_tool_tftp_client.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

#include "libsim/net/virtual_network.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

constexpr std::uint16_t kRrq = 1, kData = 3, kAck = 4, kError = 5;
constexpr std::size_t kBlockSize = 512;

std::uint16_t u16_at(ByteView b, std::size_t offset) {
  return static_cast<std::uint16_t>((b[offset] << 8) | b[offset + 1]);
}

void put_u16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

Bytes read_request(const std::string& file) {
  Bytes out;
  put_u16(out, kRrq);
  out.insert(out.end(), file.begin(), file.end());
  out.push_back(0);
  for (char c : std::string_view("octet")) out.push_back(static_cast<std::uint8_t>(c));
  out.push_back(0);
  return out;
}

Bytes ack(std::uint16_t block) {
  Bytes out;
  put_u16(out, kAck);
  put_u16(out, block);
  return out;
}

}  // namespace

TftpClient::TftpClient(boost::asio::any_io_executor executor, net::VirtualNetwork& network,
                       std::chrono::milliseconds timeout, int retries)
    : executor_(std::move(executor)), network_(network), timeout_(timeout), retries_(retries), timer_(executor_) {}

TftpClient::~TftpClient() {
  *alive_ = false;
  cancel();
}

void TftpClient::fetch(const net::HostPort& server, const std::string& file, Done done) {
  cancel();
  done_ = std::move(done);
  server_ = server;
  peer_.reset();
  expected_block_ = 1;
  attempts_ = 0;
  data_.clear();
  boost::system::error_code ec;
  socket_ = network_.open_udp(0, ec);
  if (!socket_) {
    finish(false, "cannot open a UDP socket: " + ec.message());
    return;
  }
  socket_->start_receiving([this](const boost::system::error_code& error, const net::Datagram& d) {
    if (!error) on_datagram(d);
  });
  last_packet_ = read_request(file);
  send_last();
}

void TftpClient::cancel() {
  done_ = nullptr;
  timer_.cancel();
  if (socket_) socket_->close();
  socket_.reset();
}

void TftpClient::send_last() {
  // Until the server answers, the request goes to its (mapped) well-known port; afterwards to its transfer port.
  socket_->send_to(peer_ ? *peer_ : server_, last_packet_);
  arm_timer();
}

void TftpClient::arm_timer() {
  timer_.expires_after(timeout_);
  std::weak_ptr<bool> alive = alive_;
  timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired() || !done_) return;
    if (++attempts_ > retries_) return finish(false, "timed out waiting for block " + std::to_string(expected_block_));
    send_last();
  });
}

void TftpClient::on_datagram(const net::Datagram& d) {
  if (!done_ || d.data.size() < 4) return;
  if (peer_ && d.host_source != *peer_) return;  // another transfer's packet
  const std::uint16_t opcode = u16_at(d.data, 0);
  if (opcode == kError) {
    const auto text = d.data.subspan(4);
    return finish(false, "server error " + std::to_string(u16_at(d.data, 2)) + ": " +
                             std::string(text.begin(), std::find(text.begin(), text.end(), 0)));
  }
  if (opcode != kData) return;
  peer_ = d.host_source;
  const std::uint16_t block = u16_at(d.data, 2);
  if (block == static_cast<std::uint16_t>(expected_block_ - 1)) {  // our ACK was lost: say it again
    socket_->send_to(*peer_, ack(block));
    return;
  }
  if (block != expected_block_) return;
  const auto payload = d.data.subspan(4);
  data_.insert(data_.end(), payload.begin(), payload.end());
  last_packet_ = ack(block);
  attempts_ = 0;
  ++expected_block_;  // a repeat of this block is now answered with the same ACK
  if (payload.size() < kBlockSize) {
    // Done once the final ACK has left (closing earlier would drop it from the send queue).
    timer_.cancel();
    std::weak_ptr<bool> alive = alive_;
    socket_->send_to(*peer_, last_packet_, [this, alive](const boost::system::error_code&, std::size_t) {
      if (!alive.expired()) finish(true, {});
    });
    return;
  }
  if (block == 0xFFFF) return finish(false, "file larger than 65535 blocks");
  socket_->send_to(*peer_, last_packet_);
  arm_timer();
}

void TftpClient::finish(bool ok, std::string error) {
  timer_.cancel();
  Done done = std::exchange(done_, nullptr);
  if (!done) return;
  Result result{ok, std::move(error), std::exchange(data_, {})};
  std::weak_ptr<bool> alive = alive_;
  // Report from a fresh handler so the caller may destroy us.
  boost::asio::post(executor_, [this, alive, done = std::move(done), result = std::move(result)]() mutable {
    if (alive.expired()) return;
    if (socket_) socket_->close();
    done(std::move(result));
  });
}

}  // namespace simdev::wiz550s2e::config_tool
