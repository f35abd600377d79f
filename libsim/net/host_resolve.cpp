#include "libsim/net/host_resolve.hpp"

#include <algorithm>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

namespace simdev::net {
namespace {

class ResolveOp : public std::enable_shared_from_this<ResolveOp> {
 public:
  ResolveOp(boost::asio::any_io_executor executor, VirtualNetwork::ResolveHandler handler)
      : resolver_(executor), handler_(std::move(handler)) {}

  void start(const std::string& host) {
    boost::system::error_code ec;
    auto literal = boost::asio::ip::make_address(host, ec);
    if (!ec) {
      boost::asio::post(resolver_.get_executor(), [self = shared_from_this(), literal] {
        self->finish({}, {literal});
      });
      return;
    }
    resolver_.async_resolve(host, "", [self = shared_from_this()](boost::system::error_code ec,
                                                                 boost::asio::ip::tcp::resolver::results_type results) {
      std::vector<boost::asio::ip::address> addresses;
      for (const auto& entry : results) {
        const auto address = entry.endpoint().address();
        if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) addresses.push_back(address);
      }
      std::stable_partition(addresses.begin(), addresses.end(), [](const auto& a) { return a.is_v4(); });
      if (!ec && addresses.empty()) ec = boost::asio::error::host_not_found;
      self->finish(ec, addresses);
    });
  }

  void cancel() {
    handler_ = nullptr;
    resolver_.cancel();
  }

 private:
  void finish(const boost::system::error_code& ec, const std::vector<boost::asio::ip::address>& addresses) {
    if (auto handler = std::move(handler_)) handler(ec, addresses);
  }

  boost::asio::ip::tcp::resolver resolver_;
  VirtualNetwork::ResolveHandler handler_;
};

class ResolveHandle final : public PendingConnect {
 public:
  explicit ResolveHandle(std::shared_ptr<ResolveOp> op) : op_(std::move(op)) {}
  ~ResolveHandle() override { cancel(); }
  void cancel() override { op_->cancel(); }

 private:
  std::shared_ptr<ResolveOp> op_;
};

}  // namespace

std::unique_ptr<PendingConnect> resolve_on_host(boost::asio::any_io_executor executor, const std::string& host,
                                                VirtualNetwork::ResolveHandler handler) {
  auto op = std::make_shared<ResolveOp>(std::move(executor), std::move(handler));
  op->start(host);
  return std::make_unique<ResolveHandle>(std::move(op));
}

}  // namespace simdev::net
