// Reply addressing (spec §5.1): every reply leaves the shared port for the requester's own address and source
// port. The module would broadcast to 255.255.255.255:<source port> when the request's unicast flag is 0;
// loopback has no broadcast, so that reply goes to the requester too, with the flag copied into its header.
#include "tests/conformance/wiz550s2e/config_tool_fixture.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

class ConfigToolAddressing : public ConfigToolDevice {
 protected:
  // A second tool on its own ephemeral port.
  udp::socket other{io, udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};
  std::array<std::uint8_t, 2048> other_buffer{};
  udp::endpoint other_from;
  std::vector<Bytes> other_replies;

  void other_receive() {
    other.async_receive_from(boost::asio::buffer(other_buffer), other_from,
                             [this](const boost::system::error_code& ec, std::size_t n) {
                               if (ec) return;
                               other_replies.emplace_back(other_buffer.begin(), other_buffer.begin() + static_cast<long>(n));
                               other_receive();
                             });
  }
  Bytes search(std::uint8_t unicast) { return encode({0x80, unicast, op::discover_all, kRequest, 0}, {}); }
  static Bytes search_reply(std::uint8_t unicast) {
    return encode({0x80, unicast, op::discover_all, kReply, 0}, discovery_reply({1, 3, 1}, kMacA));
  }
};

TEST_F(ConfigToolAddressing, UnicastFlagOneRepliesToTheSenderFromTheSharedPort) {
  Module& a = add_module(kMacA);
  start_receiving();
  send(tool_port(a), search(1));
  EXPECT_EQ(collect(1), std::vector<Bytes>{search_reply(1)});
  EXPECT_EQ(reply_ports, std::vector<std::uint16_t>{tool_port(a)});
  EXPECT_EQ(from.address().to_string(), "127.0.0.1");
}

TEST_F(ConfigToolAddressing, UnicastFlagZeroStandsInForTheBroadcastWithTheRequesterAddress) {
  Module& a = add_module(kMacA);
  start_receiving();
  send(tool_port(a), search(0));
  EXPECT_EQ(collect(1), std::vector<Bytes>{search_reply(0)});  // to our source port, flag 0 copied
  EXPECT_EQ(reply_ports, std::vector<std::uint16_t>{tool_port(a)});
}

TEST_F(ConfigToolAddressing, OtherUnicastValuesReplyToTheSender) {
  Module& a = add_module(kMacA);
  start_receiving();
  send(tool_port(a), search(2));
  EXPECT_EQ(collect(1), std::vector<Bytes>{search_reply(2)});
}

TEST_F(ConfigToolAddressing, EachRequesterGetsOnlyItsOwnReply) {
  Module& a = add_module(kMacA);
  start_receiving();
  other_receive();
  other.send_to(boost::asio::buffer(search(0)),
                udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), tool_port(a)));
  ASSERT_TRUE(run_until([&] { return other_replies.size() == 1; }));
  EXPECT_EQ(other_replies[0], search_reply(0));
  send(tool_port(a), search(1));
  EXPECT_EQ(collect(1), std::vector<Bytes>{search_reply(1)});
  run_for(20ms);
  EXPECT_EQ(other_replies.size(), 1u);
}

}  // namespace
}  // namespace simdev::wiz550s2e::config_tool
