#include "devices/wizfi360/firmware_update.hpp"

#include <charconv>
#include <sstream>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/write.hpp>

namespace simdev::wizfi360 {

namespace http = boost::beast::http;

std::optional<HttpUrl> parse_http_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  HttpUrl out;
  const auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) out.target = std::string(url.substr(slash));
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) return std::nullopt;
    out.port = static_cast<std::uint16_t>(value);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) return std::nullopt;
  out.host = std::string(authority);
  return out;
}

FirmwareDownload::FirmwareDownload(net::VirtualNetwork& network, HttpUrl url, std::chrono::milliseconds timeout,
                                   std::size_t max_bytes, Progress progress, Done done)
    : network_(network),
      url_(std::move(url)),
      timeout_(timeout),
      progress_(std::move(progress)),
      done_(std::move(done)),
      deadline_(network.executor()) {
  parser_.body_limit(max_bytes);
  parser_.eager(true);
}

FirmwareDownload::~FirmwareDownload() {
  alive_.reset();
  deadline_.cancel();
  pending_.reset();
  if (stream_) stream_->close();
}

void FirmwareDownload::start() {
  deadline_.expires_after(timeout_);
  deadline_.async_wait([this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    finish(false);
  });
  pending_ = network_.resolve(url_.host, [this](const boost::system::error_code& ec, const auto& addresses) {
    pending_.reset();
    if (ec || addresses.empty()) return finish(false);
    progress_(1);
    net::ConnectOptions options;
    options.timeout = timeout_;
    pending_ = network_.connect_tcp({url_.host, url_.port}, options,
                                    [this](const boost::system::error_code& cec, std::unique_ptr<net::ByteStream> s) {
                                      pending_.reset();
                                      if (cec || !s) return finish(false);
                                      connected(std::move(s));
                                    });
  });
}

void FirmwareDownload::connected(std::unique_ptr<net::ByteStream> stream) {
  stream_ = std::move(stream);
  progress_(2);
  http::request<http::empty_body> request{http::verb::get, url_.target, 11};
  request.set(http::field::host, url_.port == 80 ? url_.host : url_.host + ":" + std::to_string(url_.port));
  request.set(http::field::user_agent, "WizFi360");
  request.set(http::field::connection, "close");
  std::ostringstream wire;
  wire << request;
  const std::string text = wire.str();
  stream_->async_write(Bytes(text.begin(), text.end()));
  read_more();
}

void FirmwareDownload::read_more() {
  stream_->async_read_some([this](const boost::system::error_code& ec, ByteView data) {
    if (ec == boost::asio::error::eof) {
      boost::system::error_code eof_ec;
      if (!parser_.is_done()) parser_.put_eof(eof_ec);
      return finish(!eof_ec && parser_.is_done() && offered_);
    }
    if (ec) return finish(false);
    feed(data);
  });
}

void FirmwareDownload::feed(ByteView data) {
  unparsed_.append(reinterpret_cast<const char*>(data.data()), data.size());
  while (!unparsed_.empty() && !parser_.is_done()) {
    boost::system::error_code ec;
    const std::size_t used = parser_.put(boost::asio::buffer(unparsed_), ec);
    unparsed_.erase(0, used);
    if (ec == http::error::need_more) break;
    if (ec) return finish(false);
    if (used == 0) break;
  }
  if (parser_.is_header_done() && !offered_) {
    if (parser_.get().result() != http::status::ok) return finish(false);
    offered_ = true;
    progress_(3);
  }
  if (parser_.is_done()) return finish(true);
  read_more();
}

void FirmwareDownload::finish(bool ok) {
  deadline_.cancel();
  alive_ = std::make_shared<int>(0);
  pending_.reset();
  if (stream_) stream_->close();
  if (ok) progress_(4);
  if (auto done = std::move(done_)) done(ok);  // may destroy this object
}

}  // namespace simdev::wizfi360
