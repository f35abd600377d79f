#include "devices/wiz550s2e/response.hpp"

namespace simdev::wiz550s2e {
namespace {

// Fields: non-empty -> ",text"; empty but followed by a non-empty one -> ","; trailing empties vanish.
void append_fields(std::string& out, const Fields& fields) {
  std::size_t last = fields.size();
  while (last > 0 && fields[last - 1].empty()) --last;
  for (std::size_t i = 0; i < last; ++i) {
    out += ',';
    out += fields[i];
  }
}

bool any_non_empty(const Fields& fields) {
  for (const auto& f : fields)
    if (!f.empty()) return true;
  return false;
}

}  // namespace

std::string success(char type, std::optional<int> sock, const Fields& fields) {
  std::string out = "[";
  out += type;
  if (sock) {
    out += ',' + std::to_string(*sock);
  } else if (any_non_empty(fields)) {
    out += ',';
  }
  append_fields(out, fields);
  out += "]\r\n";
  return out;
}

std::string ok(const Fields& fields) { return success('S', std::nullopt, fields); }

std::string failure(ErrorCode code, std::optional<int> sock, const Fields& fields) {
  std::string out = "[F,";
  if (sock) out += std::to_string(*sock);
  out += ',' + std::to_string(static_cast<int>(code));
  append_fields(out, fields);
  out += "]\r\n";
  return out;
}

std::string arg_error(ErrorCode code, int index) { return failure(code, std::nullopt, {std::to_string(index)}); }

std::string dump(std::string_view text) {
  if (text.empty()) return "[D,,0]\r\n";
  std::string out = "[D,," + std::to_string(text.size()) + "]\r\n";
  out += text;
  out += "\r\n";
  return out;
}

std::string event(int sock, int code) { return "[V," + std::to_string(sock) + "," + std::to_string(code) + "]\r\n"; }

}  // namespace simdev::wiz550s2e
