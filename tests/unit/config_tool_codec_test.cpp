// Configuration-tool framing (spec §5.2): header layout, the XOR key, and what decode() refuses.
#include <gtest/gtest.h>

#include "devices/wiz550s2e/config_tool_codec.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

TEST(ConfigToolCodec, EncodeWritesHeaderAndXorsTheBody) {
  EXPECT_EQ(encode({0x85, 1, 0xB0, kRequest, 0}, {0x00, 0x08, 0xdc}),
            (Bytes{0xA5, 0x85, 0x01, 0xB0, 0xAA, 0x03, 0x00, 0x05, 0x0D, 0xD9}));
}

TEST(ConfigToolCodec, KeyIsIgnoredWithoutTheEncryptionBit) {
  EXPECT_EQ(encode({0x05, 0, 0xA1, kReply, 0}, {0x01}), (Bytes{0xA5, 0x05, 0x00, 0xA1, 0x55, 0x01, 0x00, 0x01}));
}

TEST(ConfigToolCodec, LengthIsLittleEndian) {
  const Bytes out = encode({0x80, 0, 0xC0, kRequest, 0}, Bytes(0x1FF, 0));
  EXPECT_EQ(out[5], 0xFF);
  EXPECT_EQ(out[6], 0x01);
}

TEST(ConfigToolCodec, DecodeRoundTripsAndDecrypts) {
  const auto m = decode(encode({0xFE, 1, 0xE0, kRequest, 0}, {1, 2, 3}), kRequest);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->header.op, 0xE0);
  EXPECT_EQ(m->header.unicast, 1);
  EXPECT_EQ(m->header.key(), 126);
  EXPECT_EQ(m->body, (Bytes{1, 2, 3}));
}

TEST(ConfigToolCodec, DecodeRefusesBadFraming) {
  EXPECT_FALSE(decode(Bytes{0xA5, 0x80, 0, 0xA1, 0xAA, 0}, kRequest));                // short header
  EXPECT_FALSE(decode(Bytes{0x5A, 0x80, 0, 0xA1, 0xAA, 0, 0}, kRequest));             // STX
  EXPECT_FALSE(decode(Bytes{0xA5, 0x80, 0, 0xA1, 0x55, 0, 0}, kRequest));             // a reply
  EXPECT_FALSE(decode(Bytes{0xA5, 0x80, 0, 0xA1, 0xAA, 1, 0}, kRequest));             // body missing
  EXPECT_FALSE(decode(Bytes{0xA5, 0x80, 0, 0xA1, 0xAA, 0, 0, 9}, kRequest));          // trailing byte
  EXPECT_FALSE(decode(Bytes{0xA5, 0x80, 0, 0xA1, 0xAA, 0, 1, 9}, kRequest));          // high length byte
}

}  // namespace
}  // namespace simdev::wiz550s2e::config_tool
