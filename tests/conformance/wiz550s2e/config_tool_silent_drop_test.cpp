// Spec §5.1/§5.2: the module sends nothing at all for a wrong password, a wrong MAC, a length field that does not
// match the datagram, a body of the wrong size, or a bad header (STX, op_code[1], truncated, unknown command).
// Every case runs with key 0 (valid 0x80) and with a non-zero key (valid 0xB3), bodies encrypted accordingly; the
// same request with the right values is answered, so each test shows the one field that makes it silent.
#include <gtest/gtest.h>

#include "devices/wiz550s2e/config_tool_requests.hpp"
#include "devices/wiz550s2e/config_tool_responder.hpp"
#include "devices/wiz550s2e/eeprom_image.hpp"
#include "tests/conformance/wiz550s2e/config_tool_wire.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

using wire::kMac;

constexpr Mac kOtherMac{0x00, 0x08, 0xdc, 0x1d, 0xbb, 0x8b};

class SilentDrop : public ::testing::TestWithParam<std::uint8_t> {
 protected:
  Settings module = wire::spec_module();

  Bytes request(std::uint8_t op, const Bytes& body) { return encode({GetParam(), 1, op, kRequest, 0}, body); }
  bool answered(const Bytes& datagram) {
    const Outcome out = respond(datagram, module);
    if (!out.reply) {
      EXPECT_TRUE(out.action == Action::none);  // silent means nothing happens either
    }
    return out.reply.has_value();
  }
  // Every authenticated command's body for a MAC and password.
  std::vector<std::pair<std::uint8_t, Bytes>> authenticated(const Mac& mac, const std::string& pw) {
    return {{op::set_info, set_info_body(mac, pw, to_image(module))},
            {op::upload_init, upload_body(mac, pw, {192, 168, 11, 50}, 69, "app.bin")},
            {op::reset, auth_body(mac, pw)},
            {op::factory_reset, auth_body(mac, pw)}};
  }
  // A datagram whose length field says `length` while `body` follows.
  Bytes with_length(std::uint8_t op, const Bytes& body, std::uint16_t length) {
    Bytes d = request(op, body);
    d[5] = static_cast<std::uint8_t>(length & 0xFF);
    d[6] = static_cast<std::uint8_t>(length >> 8);
    return d;
  }
};

TEST_P(SilentDrop, RightPasswordAndMacAreAnswered) {
  for (const auto& [op, body] : authenticated(kMac, "WIZnet")) EXPECT_TRUE(answered(request(op, body))) << int(op);
  EXPECT_TRUE(answered(request(op::get_info, get_info_body(kMac))));
}

TEST_P(SilentDrop, WrongPassword) {
  for (const auto& [op, body] : authenticated(kMac, "WIZnet!")) EXPECT_FALSE(answered(request(op, body))) << int(op);
  for (const auto& [op, body] : authenticated(kMac, "wiznet")) EXPECT_FALSE(answered(request(op, body))) << int(op);
  for (const auto& [op, body] : authenticated(kMac, "")) EXPECT_FALSE(answered(request(op, body))) << int(op);
}

TEST_P(SilentDrop, WrongMac) {
  for (const auto& [op, body] : authenticated(kOtherMac, "WIZnet")) EXPECT_FALSE(answered(request(op, body))) << int(op);
  EXPECT_FALSE(answered(request(op::get_info, get_info_body(kOtherMac))));
}

TEST_P(SilentDrop, LengthFieldLongerThanTheDatagram) {
  const Bytes body = get_info_body(kMac);
  EXPECT_FALSE(answered(with_length(op::get_info, body, 7)));
  EXPECT_FALSE(answered(with_length(op::discover_all, {}, 1)));
  EXPECT_FALSE(answered(with_length(op::reset, auth_body(kMac, "WIZnet"), 0x0117)));  // high byte counts too
}

TEST_P(SilentDrop, LengthFieldShorterThanTheDatagram) {
  EXPECT_FALSE(answered(with_length(op::get_info, get_info_body(kMac), 5)));
  EXPECT_FALSE(answered(with_length(op::discover_all, {0x00}, 0)));
  EXPECT_FALSE(answered(with_length(op::reset, auth_body(kMac, "WIZnet"), 22)));
}

TEST_P(SilentDrop, BodyOfTheWrongSizeForTheCommand) {
  Bytes long_get = get_info_body(kMac);
  long_get.push_back(0);
  EXPECT_FALSE(answered(request(op::get_info, long_get)));
  Bytes short_reset = auth_body(kMac, "WIZnet");
  short_reset.pop_back();
  EXPECT_FALSE(answered(request(op::reset, short_reset)));
  Bytes short_set = set_info_body(kMac, "WIZnet", to_image(module));
  short_set.pop_back();
  EXPECT_FALSE(answered(request(op::set_info, short_set)));
  Bytes long_upload = upload_body(kMac, "WIZnet", {192, 168, 11, 50}, 69, "app.bin");
  long_upload.push_back(0);
  EXPECT_FALSE(answered(request(op::upload_init, long_upload)));
}

TEST_P(SilentDrop, BadStx) {
  Bytes d = request(op::discover_all, {});
  for (std::uint8_t stx : {0x00, 0xA4, 0x5A, 0xFF}) {
    d[0] = stx;
    EXPECT_FALSE(answered(d)) << int(stx);
  }
}

TEST_P(SilentDrop, OpCodeOneNotARequest) {
  Bytes d = request(op::get_info, get_info_body(kMac));
  for (std::uint8_t direction : {0x55, 0x00, 0xAB}) {
    d[4] = direction;
    EXPECT_FALSE(answered(d)) << int(direction);
  }
}

TEST_P(SilentDrop, TruncatedHeader) {
  const Bytes d = request(op::discover_all, {});
  for (std::size_t n = 0; n < kHeaderSize; ++n) EXPECT_FALSE(answered(Bytes(d.begin(), d.begin() + static_cast<long>(n)))) << n;
}

TEST_P(SilentDrop, UnknownCommand) {
  for (std::uint8_t op : {0x00, 0x10, 0x90, 0xA0, 0xA6, 0xD0, 0xD2, 0xDF})
    EXPECT_FALSE(answered(request(op, op >> 4 == 0xD ? upload_body(kMac, "WIZnet", {1, 2, 3, 4}, 69, "f") : Bytes{}))) << int(op);
}

INSTANTIATE_TEST_SUITE_P(Keys, SilentDrop, ::testing::Values(std::uint8_t{0x80}, std::uint8_t{0xB3}),
                         [](const auto& info) { return info.param == 0x80 ? "KeyZero" : "KeyFiftyOne"; });

// A body sent in plaintext while the header announces key 0x33 decrypts to another MAC: silence.
TEST(SilentDropKeyed, PlaintextBodyUnderANonZeroKey) {
  Bytes d = encode({0x80, 1, op::get_info, kRequest, 0}, get_info_body(kMac));
  d[1] = 0xB3;
  EXPECT_FALSE(respond(d, wire::spec_module()).reply);
}

}  // namespace
}  // namespace simdev::wiz550s2e::config_tool
