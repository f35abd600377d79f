#include "libsim/control/control_server.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <list>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "libsim/serial/transport.hpp"

namespace simdev::control {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using local_stream = asio::local::stream_protocol;

constexpr std::size_t kMaxRequestBytes = 1 << 20;

class Session {
 public:
  virtual ~Session() = default;
  virtual void close() = 0;
};

template <typename Socket>
class LineSession final : public Session, public std::enable_shared_from_this<LineSession<Socket>> {
 public:
  LineSession(Socket socket, ControlDispatcher& dispatcher, ControlTarget& target)
      : socket_(std::move(socket)), buffer_(kMaxRequestBytes), dispatcher_(dispatcher), target_(target) {}

  void start() { read_next(); }
  void close() override {
    error_code ignored;
    socket_.close(ignored);
  }

 private:
  void read_next() {
    asio::async_read_until(socket_, buffer_, '\n',
                           [self = this->shared_from_this()](const error_code& ec, std::size_t n) { self->on_line(ec, n); });
  }

  void on_line(const error_code& ec, std::size_t n) {
    if (ec == asio::error::not_found) {  // longer than kMaxRequestBytes: no way to find the next line start
      send(error_reply("request too long").dump() + "\n", false, true);
      return;
    }
    if (ec) return;
    std::string line(asio::buffers_begin(buffer_.data()), asio::buffers_begin(buffer_.data()) + static_cast<long>(n));
    buffer_.consume(n);
    const ControlReply reply = dispatcher_.handle_line(line);
    send(reply.line() + "\n", reply.shutdown_after_reply, false);
  }

  void send(std::string text, bool shutdown_after, bool close_after) {
    auto data = std::make_shared<std::string>(std::move(text));
    asio::async_write(socket_, asio::buffer(*data),
                      [self = this->shared_from_this(), data, shutdown_after, close_after](const error_code& ec, std::size_t) {
                        if (shutdown_after) {
                          self->target_.request_shutdown();
                          return;
                        }
                        if (ec || close_after) {
                          self->close();
                          return;
                        }
                        self->read_next();
                      });
  }

  Socket socket_;
  asio::streambuf buffer_;
  ControlDispatcher& dispatcher_;
  ControlTarget& target_;
};

// Is something answering on this unix socket path? (A leftover file from a crashed run does not.)
bool unix_socket_alive(const std::string& path) {
  asio::io_context probe;
  local_stream::socket s(probe);
  error_code ec;
  s.connect(local_stream::endpoint(path), ec);
  return !ec;
}

}  // namespace

struct ControlServer::Impl {
  Impl(asio::any_io_executor ex, ControlEndpoint ep, ControlDispatcher& d, ControlTarget& t,
       std::shared_ptr<spdlog::logger> l)
      : executor(ex), endpoint(std::move(ep)), dispatcher(d), target(t), log(std::move(l)), tcp(ex), local(ex) {}

  template <typename Acceptor, typename Socket>
  void accept(Acceptor& acceptor) {
    acceptor.async_accept([this, &acceptor](const error_code& ec, Socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        auto session = std::make_shared<LineSession<Socket>>(std::move(socket), dispatcher, target);
        prune();
        sessions.push_back(session);
        session->start();
      } else {
        log->warn("control: accept failed: {}", ec.message());
      }
      accept<Acceptor, Socket>(acceptor);
    });
  }
  void prune() {
    sessions.remove_if([](const std::weak_ptr<Session>& w) { return w.expired(); });
  }

  void open_tcp() {
    error_code ec;
    const auto address = asio::ip::make_address(endpoint.host, ec);
    if (ec) throw std::runtime_error("control: \"" + endpoint.host + "\" is not an IP address");
    asio::ip::tcp::endpoint ep(address, endpoint.port);
    tcp.open(ep.protocol());
    tcp.set_option(asio::socket_base::reuse_address(true));
    tcp.bind(ep, ec);
    if (ec == asio::error::address_in_use) {
      throw serial::EndpointInUse("control endpoint " + endpoint.to_string() + " is in use");
    }
    if (ec) throw std::runtime_error("control: cannot bind " + endpoint.to_string() + ": " + ec.message());
    tcp.listen();
    endpoint.port = tcp.local_endpoint().port();
  }

  void open_unix() {
    namespace fs = std::filesystem;
    const std::string& path = endpoint.path;
    std::error_code fec;
    const auto status = fs::symlink_status(path, fec);
    if (fs::exists(status)) {
      if (!fs::is_socket(status)) throw std::runtime_error("control: " + path + " exists and is not a socket");
      if (unix_socket_alive(path)) throw serial::EndpointInUse("control endpoint unix:" + path + " is in use");
      fs::remove(path, fec);  // stale socket from a run that did not clean up
    }
    local.open();
    const mode_t old = ::umask(0177);  // the socket file is born 0600; nobody else may drive the device
    error_code ec;
    local.bind(local_stream::endpoint(path), ec);
    ::umask(old);
    if (ec == asio::error::address_in_use) throw serial::EndpointInUse("control endpoint unix:" + path + " is in use");
    if (ec) throw std::runtime_error("control: cannot bind unix:" + path + ": " + ec.message());
    ::chmod(path.c_str(), 0600);
    bound_path = path;
    local.listen();
  }

  asio::any_io_executor executor;
  ControlEndpoint endpoint;
  ControlDispatcher& dispatcher;
  ControlTarget& target;
  std::shared_ptr<spdlog::logger> log;
  asio::ip::tcp::acceptor tcp;
  local_stream::acceptor local;
  std::string bound_path;
  std::list<std::weak_ptr<Session>> sessions;
};

ControlServer::ControlServer(asio::any_io_executor ex, ControlEndpoint endpoint, ControlDispatcher& dispatcher,
                             ControlTarget& target, std::shared_ptr<spdlog::logger> log)
    : impl_(std::make_unique<Impl>(ex, std::move(endpoint), dispatcher, target, std::move(log))) {}

ControlServer::~ControlServer() { close(); }

void ControlServer::open() {
  if (impl_->endpoint.type == ControlEndpoint::Type::tcp) {
    impl_->open_tcp();
  } else {
    impl_->open_unix();
  }
}

void ControlServer::start() {
  if (impl_->tcp.is_open()) impl_->accept<asio::ip::tcp::acceptor, asio::ip::tcp::socket>(impl_->tcp);
  if (impl_->local.is_open()) impl_->accept<local_stream::acceptor, local_stream::socket>(impl_->local);
}

void ControlServer::close() {
  error_code ignored;
  impl_->tcp.close(ignored);
  impl_->local.close(ignored);
  for (auto& weak : impl_->sessions) {
    if (auto s = weak.lock()) s->close();
  }
  impl_->sessions.clear();
  if (!impl_->bound_path.empty()) {
    std::error_code ec;
    std::filesystem::remove(impl_->bound_path, ec);
    impl_->bound_path.clear();
  }
}

const ControlEndpoint& ControlServer::endpoint() const { return impl_->endpoint; }

}  // namespace simdev::control
