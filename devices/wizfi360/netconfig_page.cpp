#include "devices/wizfi360/netconfig_page.hpp"

#include <sstream>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/write.hpp>

namespace simdev::wizfi360 {
namespace {

namespace http = boost::beast::http;

constexpr std::size_t kMaxBody = 4096;

std::string page_html(const std::string& device_name, const std::string& note) {
  return "<!DOCTYPE html><html><head><title>WizFi360 Wi-Fi setup</title></head><body>"
         "<h1>" + device_name + "</h1><p>" + note + "</p>"
         "<form method=\"post\" action=\"/\">"
         "<label>SSID <input name=\"ssid\" maxlength=\"32\"></label><br>"
         "<label>Password <input name=\"password\" type=\"password\" maxlength=\"64\"></label><br>"
         "<input type=\"submit\" value=\"Connect\"></form></body></html>\n";
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_digit(s[i + 1]);
      int lo = hex_digit(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> form_field(const std::string& body, const std::string& name) {
  std::string_view rest = body;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    auto key = url_decode(pair.substr(0, eq));
    if (key && *key == name) return url_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

NetconfigPage::NetconfigPage(net::VirtualNetwork& net, std::string device_name, CredentialsHandler on_credentials)
    : net_(net), device_name_(std::move(device_name)), on_credentials_(std::move(on_credentials)) {}

NetconfigPage::~NetconfigPage() { stop(); }

bool NetconfigPage::start(std::uint16_t device_port, std::string& error) {
  if (listener_) return true;
  boost::system::error_code ec;
  listener_ = net_.listen_tcp(device_port, net::ListenOptions{.backlog = 5, .max_connections = 4}, ec);
  if (!listener_) {
    error = ec.message();
    return false;
  }
  listener_->start_accepting([this](const boost::system::error_code& ec, std::unique_ptr<net::ByteStream> stream) {
    if (ec || !stream) return;
    connections_.emplace_front();
    connections_.front().stream = std::move(stream);
    connections_.front().parser.body_limit(kMaxBody);
    read(connections_.begin());
  });
  return true;
}

void NetconfigPage::stop() {
  if (listener_) listener_->close();
  listener_.reset();
  for (auto& c : connections_) c.stream->close();
  connections_.clear();
}

std::optional<std::uint16_t> NetconfigPage::host_port() const {
  if (!listener_) return std::nullopt;
  return listener_->host_port().port;
}

void NetconfigPage::read(std::list<Connection>::iterator it) {
  it->stream->async_read_some([this, it](const boost::system::error_code& ec, ByteView data) {
    if (ec) return close(it);
    boost::beast::error_code parse_ec;
    std::size_t offset = 0;
    while (offset < data.size() && !it->parser.is_done()) {
      std::size_t used = it->parser.put(boost::asio::buffer(data.data() + offset, data.size() - offset), parse_ec);
      if (parse_ec == http::error::need_more) break;
      if (parse_ec) return close(it);
      if (used == 0) break;
      offset += used;
    }
    if (it->parser.is_done()) return respond(it);
    read(it);
  });
}

void NetconfigPage::respond(std::list<Connection>::iterator it) {
  const auto& req = it->parser.get();
  http::response<http::string_body> res;
  res.version(req.version());
  res.set(http::field::server, "WizFi360");
  res.set(http::field::content_type, "text/html");
  res.keep_alive(false);
  std::optional<std::pair<std::string, std::string>> credentials;
  if (req.method() == http::verb::get) {
    res.result(http::status::ok);
    res.body() = page_html(device_name_, "Enter the access point to join.");
  } else if (req.method() == http::verb::post) {
    auto ssid = form_field(req.body(), "ssid");
    auto password = form_field(req.body(), "password");
    if (ssid && !ssid->empty() && ssid->size() <= 32 && (!password || password->size() <= 64)) {
      res.result(http::status::ok);
      res.body() = page_html(device_name_, "Connecting to " + *ssid + "...");
      credentials.emplace(*ssid, password.value_or(""));
    } else {
      res.result(http::status::bad_request);
      res.body() = page_html(device_name_, "SSID (1..32 bytes) and password (0..64 bytes) are required.");
    }
  } else {
    res.result(http::status::method_not_allowed);
    res.set(http::field::allow, "GET, POST");
  }
  res.prepare_payload();
  std::ostringstream wire;
  wire << res;
  std::string text = wire.str();
  it->stream->async_write(Bytes(text.begin(), text.end()), [this, it](const boost::system::error_code&, std::size_t) {
    close(it);
  });
  // The device may stop this page from inside the handler (it joins and ends provisioning): hand the
  // credentials over last.
  if (credentials && on_credentials_) on_credentials_(credentials->first, credentials->second);
}

void NetconfigPage::close(std::list<Connection>::iterator it) {
  it->stream->close();
  connections_.erase(it);
}

}  // namespace simdev::wizfi360
