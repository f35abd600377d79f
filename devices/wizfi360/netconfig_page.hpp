#pragma once
// AT+WIZ_NETCONFIG's web page: an HTTP server on the device's port 80 (a host port through the listen map) where a
// browser or curl submits SSID and password. HTTP parsing and serialising are Boost.Beast's; the sockets are the
// VirtualNetwork's.
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "libsim/net/virtual_network.hpp"

namespace simdev::wizfi360 {

class NetconfigPage {
 public:
  using CredentialsHandler = std::function<void(const std::string& ssid, const std::string& password)>;

  NetconfigPage(net::VirtualNetwork& net, std::string device_name, CredentialsHandler on_credentials);
  ~NetconfigPage();

  // Binds the device port; false (and a message in `error`) when the host port cannot be bound.
  bool start(std::uint16_t device_port, std::string& error);
  void stop();
  bool running() const { return listener_ != nullptr; }
  std::optional<std::uint16_t> host_port() const;

 private:
  struct Connection {
    std::unique_ptr<net::ByteStream> stream;
    boost::beast::http::request_parser<boost::beast::http::string_body> parser;
  };

  void read(std::list<Connection>::iterator it);
  void respond(std::list<Connection>::iterator it);
  void close(std::list<Connection>::iterator it);

  net::VirtualNetwork& net_;
  std::string device_name_;
  CredentialsHandler on_credentials_;
  std::unique_ptr<net::TcpListener> listener_;
  std::list<Connection> connections_;
};

// application/x-www-form-urlencoded field, percent- and plus-decoded; nullopt when absent or malformed.
std::optional<std::string> form_field(const std::string& body, const std::string& name);

}  // namespace simdev::wizfi360
