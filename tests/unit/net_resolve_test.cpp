#include <boost/asio/ip/address.hpp>
#include <gtest/gtest.h>

#include "tests/unit/net_test_loop.hpp"

namespace simdev::test {
namespace {

using Addresses = std::vector<boost::asio::ip::address>;

class NetResolve : public NetTest {
 protected:
  struct Result {
    bool done = false;
    boost::system::error_code ec;
    Addresses addresses;
  };
  std::unique_ptr<net::PendingConnect> resolve(net::VirtualNetwork& network, const std::string& name, Result& result) {
    return network.resolve(name, [&result](const boost::system::error_code& ec, const Addresses& addresses) {
      result = {true, ec, addresses};
    });
  }
};

TEST_F(NetResolve, MappedNameAnswersFromTheMap) {
  auto network = make_network({{"address_map", {{"io.adafruit.com", "127.0.0.1"}}}});
  Result result;
  auto pending = resolve(*network, "io.adafruit.com", result);
  ASSERT_TRUE(run_until(io, [&] { return result.done; }));
  EXPECT_FALSE(result.ec);
  EXPECT_EQ(result.addresses, Addresses{boost::asio::ip::make_address("127.0.0.1")});
}

TEST_F(NetResolve, WildcardNameAnswersFromTheMap) {
  auto network = make_network({{"address_map", {{"*.azure-devices.net", "127.0.0.1"}}}});
  Result result;
  auto pending = resolve(*network, "hub.azure-devices.net", result);
  ASSERT_TRUE(run_until(io, [&] { return result.done; }));
  EXPECT_EQ(result.addresses, Addresses{boost::asio::ip::make_address("127.0.0.1")});
}

TEST_F(NetResolve, UnmappedNameGoesToHostResolver) {
  auto network = make_network();
  Result result;
  auto pending = resolve(*network, "localhost", result);
  ASSERT_TRUE(run_until(io, [&] { return result.done; }));
  EXPECT_FALSE(result.ec);
  ASSERT_FALSE(result.addresses.empty());
  EXPECT_TRUE(result.addresses.front().is_loopback());
  EXPECT_TRUE(result.addresses.front().is_v4());  // IPv4 first
}

TEST_F(NetResolve, IpLiteralResolvesToItselfAfterReturning) {
  auto network = make_network();
  Result result;
  auto pending = resolve(*network, "192.168.11.3", result);
  EXPECT_FALSE(result.done);  // never inside the call
  ASSERT_TRUE(run_until(io, [&] { return result.done; }));
  EXPECT_EQ(result.addresses, Addresses{boost::asio::ip::make_address("192.168.11.3")});
}

TEST_F(NetResolve, CancelledResolveNeverCallsHandler) {
  auto network = make_network();
  Result result;
  auto pending = resolve(*network, "127.0.0.1", result);
  pending.reset();
  io.run_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(result.done);
}

}  // namespace
}  // namespace simdev::test
