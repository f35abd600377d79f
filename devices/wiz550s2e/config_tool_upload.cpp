#include "devices/wiz550s2e/config_tool_upload.hpp"

#include <openssl/sha.h>

#include <stdexcept>

namespace simdev::wiz550s2e::config_tool {
namespace {

Bytes header_bytes(const Header& h) {
  return {kStx, h.valid, h.unicast, h.op, h.direction, static_cast<std::uint8_t>(h.length & 0xFF),
          static_cast<std::uint8_t>(h.length >> 8)};
}

[[noreturn]] void bad(const std::string& field, const std::string& why) {
  throw std::invalid_argument(field + ": " + why);
}

std::string text_field(const nlohmann::json& j, const std::string& where, const char* key) {
  if (!j.contains(key) || !j.at(key).is_string()) bad(where + "." + key, "expected a string");
  return j.at(key).get<std::string>();
}

std::string sha256_hex(ByteView data) {
  Bytes digest(SHA256_DIGEST_LENGTH);
  SHA256(data.data(), data.size(), digest.data());
  return hex_bytes(digest);
}

}  // namespace

nlohmann::json to_json(const UploadRecord& r) {
  return {{"header", hex_bytes(header_bytes(r.request.header))},
          {"requester", r.requester.to_string()},
          {"server", to_string(r.request.server)},
          {"port", r.request.port},
          {"file", r.request.file}};
}

nlohmann::json to_json(const FirmwareImage& image, bool with_data) {
  nlohmann::json j{{"file", image.file}, {"bytes", image.data.size()}, {"sha256", sha256_hex(image.data)}};
  if (with_data) j["data"] = hex_bytes(image.data);
  return j;
}

std::optional<UploadRecord> upload_record_from(const nlohmann::json& data) {
  if (!data.is_object() || !data.contains("upload_record") || data.at("upload_record").is_null()) return std::nullopt;
  const auto& j = data.at("upload_record");
  const std::string where = "upload_record";
  if (!j.is_object()) bad(where, "expected an object");
  UploadRecord r;
  const auto header = parse_hex_bytes(text_field(j, where, "header"));
  if (!header || header->size() != kHeaderSize || (*header)[0] != kStx) bad(where + ".header", "expected 7 header bytes in hex");
  const Bytes& h = *header;
  r.request.header = {h[1], h[2], h[3], h[4], static_cast<std::uint16_t>(h[5] | h[6] << 8)};
  try {
    const auto requester = net::parse_host_port(text_field(j, where, "requester"));
    if (!requester.port) throw std::invalid_argument("missing port");
    r.requester = {requester.host, *requester.port};
  } catch (const std::invalid_argument& e) {
    bad(where + ".requester", e.what());
  }
  const std::string server_text = text_field(j, where, "server");
  const auto server = server_text == "0.0.0.0" ? std::optional<Ip4>(Ip4{}) : parse_ip(server_text);
  if (!server) bad(where + ".server", "not an IPv4 address");
  r.request.server = *server;
  if (!j.contains("port") || !j.at("port").is_number_unsigned() || j.at("port").get<unsigned>() > 65535)
    bad(where + ".port", "expected 0..65535");
  r.request.port = static_cast<std::uint16_t>(j.at("port").get<unsigned>());
  r.request.file = text_field(j, where, "file");
  return r;
}

std::optional<FirmwareImage> firmware_from(const nlohmann::json& data) {
  if (!data.is_object() || !data.contains("firmware") || data.at("firmware").is_null()) return std::nullopt;
  const auto& j = data.at("firmware");
  if (!j.is_object()) bad("firmware", "expected an object");
  FirmwareImage image;
  image.file = text_field(j, "firmware", "file");
  auto bytes = parse_hex_bytes(text_field(j, "firmware", "data"));
  if (!bytes) bad("firmware.data", "expected hex digits");
  image.data = std::move(*bytes);
  return image;
}

}  // namespace simdev::wiz550s2e::config_tool
