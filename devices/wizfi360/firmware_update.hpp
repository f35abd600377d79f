#pragma once
// The download behind AT+CIUPDATE: one HTTP/1.1 GET through the VirtualNetwork (address map, host resolver).
// Beast builds the request and parses the response; the bytes travel over the network's ByteStream.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "libsim/net/virtual_network.hpp"

namespace simdev::wizfi360 {

struct HttpUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/";
};

// `http://host[:port][/path]`; nullopt for anything else (other schemes, empty host, bad port).
std::optional<HttpUrl> parse_http_url(std::string_view url);

class FirmwareDownload {
 public:
  // Progress steps as the module prints them: 1 server found, 2 connected, 3 the server offers an image
  // (status 200), 4 the whole image arrived.
  using Progress = std::function<void(int step)>;
  using Done = std::function<void(bool ok)>;

  FirmwareDownload(net::VirtualNetwork& network, HttpUrl url, std::chrono::milliseconds timeout,
                   std::size_t max_bytes, Progress progress, Done done);
  ~FirmwareDownload();
  FirmwareDownload(const FirmwareDownload&) = delete;
  FirmwareDownload& operator=(const FirmwareDownload&) = delete;

  void start();

 private:
  void connected(std::unique_ptr<net::ByteStream> stream);
  void read_more();
  void feed(ByteView data);
  void finish(bool ok);

  net::VirtualNetwork& network_;
  HttpUrl url_;
  std::chrono::milliseconds timeout_;
  Progress progress_;
  Done done_;
  std::unique_ptr<net::PendingConnect> pending_;
  std::unique_ptr<net::ByteStream> stream_;
  boost::beast::http::response_parser<boost::beast::http::string_body> parser_;
  std::string unparsed_;
  bool offered_ = false;
  boost::asio::steady_timer deadline_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace simdev::wizfi360
