#pragma once
// Azure IoT Hub shared access signatures (what AT+AZCON sends as the MQTT password).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "libsim/util/bytes.hpp"

namespace simdev::wizfi360 {

// Standard base64 with padding; nullopt for anything else (so AZSET can reject a key it could never use).
std::optional<Bytes> decode_base64(std::string_view text);
std::string encode_base64(ByteView data);
// Percent-encodes everything but the unreserved characters A-Z a-z 0-9 - _ . ~
std::string url_encode(std::string_view text);

// `SharedAccessSignature sr=<enc(resource)>&sig=<enc(base64(HMAC-SHA256(key, enc(resource) "\n" expiry)))>&se=<expiry>`
// with enc = url_encode, as Azure's own SDKs build it. `key` is the raw (base64-decoded) device key; `expiry` is
// seconds since the Unix epoch.
std::string azure_sas_token(std::string_view resource, ByteView key, std::int64_t expiry);

}  // namespace simdev::wizfi360
