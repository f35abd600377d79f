// Azure SAS token building blocks for AT+AZCON; the expected token was computed independently with Python's
// hmac/base64/urllib (the algorithm of Azure's own samples).
#include <gtest/gtest.h>

#include "devices/wizfi360/sas_token.hpp"

namespace simdev::wizfi360 {
namespace {

TEST(WizFi360SasToken, MatchesAzureSampleAlgorithm) {
  const std::string key = "secret-device-key";
  EXPECT_EQ(azure_sas_token("myhub.azure-devices.net/devices/dev1", as_bytes(key), 1700000000),
            "SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fdev1"
            "&sig=vLfoazhE4K5V2IUkpylXZOMbveMfJCMcpTD9hRs7CKE%3D&se=1700000000");
}

TEST(WizFi360SasToken, DecodesPaddedBase64) {
  const auto key = decode_base64("c2VjcmV0LWRldmljZS1rZXk=");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(as_string(*key), "secret-device-key");
}

TEST(WizFi360SasToken, DecodesUnpaddedLengthMultipleOfFour) {
  const auto key = decode_base64("YWJj");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(as_string(*key), "abc");
}

TEST(WizFi360SasToken, RejectsMalformedBase64) {
  EXPECT_FALSE(decode_base64("").has_value());
  EXPECT_FALSE(decode_base64("abc").has_value());
  EXPECT_FALSE(decode_base64("ab!c").has_value());
  EXPECT_FALSE(decode_base64("a===").has_value());
}

TEST(WizFi360SasToken, EncodesBase64) { EXPECT_EQ(encode_base64(as_bytes("secret-device-key")), "c2VjcmV0LWRldmljZS1rZXk="); }

TEST(WizFi360SasToken, UrlEncodesReservedCharacters) {
  EXPECT_EQ(url_encode("a/b+c=d e~f_g.h-i"), "a%2Fb%2Bc%3Dd%20e~f_g.h-i");
}

}  // namespace
}  // namespace simdev::wizfi360
