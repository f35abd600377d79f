#include "apps/simdev/wizcfg_fields.hpp"

#include <charconv>
#include <set>
#include <stdexcept>

namespace simdev::apps::wizcfg {
namespace {

// The tool addresses a module by its MAC and always sends it back unchanged, and builds the structure's header
// itself (packet_size 232, module type 00 00 00); the rest is the module's to set.
const std::set<std::string> kReadOnly{"mac", "fw_ver", "state", "packet_size", "module_type"};

nlohmann::json typed_value(const std::string& key, const std::string& text, const nlohmann::json& current) {
  if (current.is_boolean()) {
    if (text == "true" || text == "1" || text == "on") return true;
    if (text == "false" || text == "0" || text == "off") return false;
    throw std::invalid_argument(key + ": expected true/false");
  }
  if (current.is_number()) {
    long long value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
      throw std::invalid_argument(key + ": expected an integer");
    return value;
  }
  return text;
}

}  // namespace

wiz550s2e::Settings apply_fields(const wiz550s2e::Settings& base, const std::vector<std::string>& assignments) {
  const nlohmann::json current = wiz550s2e::to_json(base);
  nlohmann::json changes = nlohmann::json::object();
  for (const auto& a : assignments) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0) throw std::invalid_argument(a + ": expected FIELD=VALUE");
    const std::string key = a.substr(0, eq);
    if (kReadOnly.contains(key)) throw std::invalid_argument(key + ": cannot be set with the configuration tool");
    if (!current.contains(key)) throw std::invalid_argument(key + ": unknown field");
    changes[key] = typed_value(key, a.substr(eq + 1), current.at(key));
  }
  return wiz550s2e::settings_from_json(changes, base);
}

}  // namespace simdev::apps::wizcfg
