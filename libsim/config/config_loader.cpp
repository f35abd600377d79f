#include "libsim/config/config_loader.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "libsim/config/config_error.hpp"
#include "libsim/config/serial_spec.hpp"
#include "libsim/config/uart_config.hpp"
#include "libsim/control/control_endpoint.hpp"
#include "libsim/net/net_config.hpp"
#include "libsim/util/embedded_config.hpp"

namespace simdev::config {
namespace {

using nlohmann::json;

const std::set<std::string> kTopLevelKeys{"devices", "control", "timing", "log_level", "trace", "ready_file", "pid_file"};
const std::set<std::string> kDeviceKeys{"name",          "kind",   "serial",  "flash",   "flash_reset",
                                        "flash_readonly", "timing", "network", "settings"};
const std::set<std::string> kLogLevels{"trace", "debug", "info", "warn", "error", "critical", "off"};

[[noreturn]] void fail(const std::string& field, const std::string& problem) {
  throw ConfigError("config: " + field + ": " + problem);
}
[[noreturn]] void fail_flag(const std::string& flag, const std::string& problem) {
  throw ConfigError(flag + ": " + problem);
}

void reject_unknown_keys(const json& object, const std::set<std::string>& known, const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    if (known.count(key) == 0) fail(where.empty() ? key : where + "." + key, "unknown field");
  }
}

std::string string_field(const json& object, const std::string& key, const std::string& where, std::string fallback) {
  const auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_string()) fail(where + key, "expected a string, got " + it->dump());
  return it->get<std::string>();
}

bool bool_field(const json& object, const std::string& key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) return false;
  if (!it->is_boolean()) fail(where + key, "expected true or false, got " + it->dump());
  return it->get<bool>();
}

std::optional<std::string> timing_problem(const std::string& text) {
  if (text == "wire" || text == "fast") return std::nullopt;
  return "\"" + text + "\" is not wire or fast";
}
TimingMode to_timing(const std::string& text) { return text == "fast" ? TimingMode::fast : TimingMode::wire; }

std::optional<std::string> log_level_problem(const std::string& text) {
  if (kLogLevels.count(text) != 0) return std::nullopt;
  return "\"" + text + "\" is not one of trace, debug, info, warn, error, critical, off";
}

std::optional<std::string> control_problem(const std::string& text) {
  if (text.empty()) return std::nullopt;
  try {
    control::ControlEndpoint::parse(text);
    return std::nullopt;
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

std::optional<std::string> name_problem(const std::string& name) {
  if (name.empty()) return "must not be empty";
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return "\"" + name + "\" may only contain letters, digits, '-', '_' and '.'";
  }
  return std::nullopt;
}

const DeviceKind* find_kind(const std::vector<const DeviceKind*>& kinds, const std::string& name) {
  for (const DeviceKind* k : kinds) {
    if (k->name == name) return k;
  }
  return nullptr;
}

std::string kind_names(const std::vector<const DeviceKind*>& kinds) {
  std::string out;
  for (const DeviceKind* k : kinds) out += (out.empty() ? "" : ", ") + k->name;
  return out;
}

// "uart.baud=9600" -> settings["uart"]["baud"] = 9600; a value that is not JSON is taken as a string.
void apply_set(json& settings, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) fail_flag("--set", "\"" + assignment + "\" is not KEY=VALUE");
  json* node = &settings;
  std::stringstream path(assignment.substr(0, eq));
  std::string part;
  while (std::getline(path, part, '.')) {
    if (part.empty()) fail_flag("--set", "\"" + assignment + "\" has an empty key segment");
    if (!node->is_object()) *node = json::object();
    node = &(*node)[part];
  }
  const std::string text = assignment.substr(eq + 1);
  json value = json::parse(text, nullptr, false);
  *node = value.is_discarded() ? json(text) : value;
}

// Checks command-line values up front so their errors name the flag, not a config path.
void check_flags(const Overrides& o, const std::vector<const DeviceKind*>& kinds) {
  if (o.device && !find_kind(kinds, *o.device)) {
    fail_flag("--device", "unknown device \"" + *o.device + "\" (expected " + kind_names(kinds) + ")");
  }
  if (o.name) {
    if (auto p = name_problem(*o.name)) fail_flag("--name", *p);
  }
  if (o.serial) {
    if (auto p = serial_spec_problem(*o.serial)) fail_flag("--serial", *p);
  }
  if (o.timing) {
    if (auto p = timing_problem(*o.timing)) fail_flag("--timing", *p);
  }
  if (o.log_level) {
    if (auto p = log_level_problem(*o.log_level)) fail_flag("--log-level", *p);
  }
  if (o.control) {
    if (auto p = control_problem(*o.control)) fail_flag("--control", *p);
  }
  if (o.flash_reset && o.flash_readonly) {
    fail_flag("--flash-reset", "cannot be combined with --flash-readonly");
  }
}

// The flag that makes a per-device override, if any was given.
std::optional<std::string> first_device_flag(const Overrides& o) {
  if (o.device) return "--device";
  if (o.name) return "--name";
  if (o.serial) return "--serial";
  if (o.flash) return "--flash";
  if (o.flash_reset) return "--flash-reset";
  if (o.flash_readonly) return "--flash-readonly";
  if (!o.sets.empty()) return "--set";
  return std::nullopt;
}

void apply_device_flags(json& device, const Overrides& o) {
  if (o.device) device["kind"] = *o.device;
  if (o.name) device["name"] = *o.name;
  if (o.serial) device["serial"] = *o.serial;
  if (o.flash) device["flash"] = *o.flash;
  if (o.flash_reset) device["flash_reset"] = true;
  if (o.flash_readonly) device["flash_readonly"] = true;
}

DeviceConfig resolve_device(const json& entry, std::size_t index, const std::vector<const DeviceKind*>& kinds,
                            const std::string& default_kind, TimingMode default_timing) {
  const std::string where = "devices[" + std::to_string(index) + "].";
  if (!entry.is_object()) fail("devices[" + std::to_string(index) + "]", "expected an object");
  reject_unknown_keys(entry, kDeviceKeys, where.substr(0, where.size() - 1));

  DeviceConfig d;
  d.kind = string_field(entry, "kind", where, default_kind);
  const DeviceKind* kind = find_kind(kinds, d.kind);
  if (kind == nullptr) fail(where + "kind", "unknown device \"" + d.kind + "\" (expected " + kind_names(kinds) + ")");

  d.name = string_field(entry, "name", where, d.kind);
  if (auto p = name_problem(d.name)) fail(where + "name", *p);

  d.serial = string_field(entry, "serial", where, "pty");
  if (auto p = serial_spec_problem(d.serial)) fail(where + "serial", *p);

  const auto flash = entry.find("flash");
  if (flash == entry.end()) {
    d.flash = d.name + ".flash.json";
  } else if (flash->is_null()) {
    d.flash.clear();
  } else if (flash->is_string()) {
    d.flash = flash->get<std::string>();
  } else {
    fail(where + "flash", "expected a path or null, got " + flash->dump());
  }
  d.flash_reset = bool_field(entry, "flash_reset", where);
  d.flash_readonly = bool_field(entry, "flash_readonly", where);
  if (d.flash_reset && d.flash_readonly) fail(where + "flash_reset", "cannot be combined with flash_readonly");

  d.timing = default_timing;
  if (entry.contains("timing")) {
    const std::string t = string_field(entry, "timing", where, "");
    if (auto p = timing_problem(t)) fail(where + "timing", *p);
    d.timing = to_timing(t);
  }

  d.settings = json::parse(embedded_config(kind->default_config));
  if (const auto s = entry.find("settings"); s != entry.end()) {
    if (!s->is_object()) fail(where + "settings", "expected an object");
    d.settings.merge_patch(*s);
  }
  if (const auto n = entry.find("network"); n != entry.end()) {
    if (!n->is_object()) fail(where + "network", "expected an object");
    if (!d.settings["network"].is_object()) d.settings["network"] = json::object();
    d.settings["network"].merge_patch(*n);
  }
  try {
    net::NetConfig::from_json(d.settings.value("network", json()));
  } catch (const std::invalid_argument& e) {
    throw ConfigError("config: " + where + e.what());
  }
  try {
    d.uart = uart_settings_from_json(d.settings.value("uart", json()));
  } catch (const std::invalid_argument& e) {
    throw ConfigError("config: " + where + "settings." + e.what());
  }
  return d;
}

}  // namespace

json read_config_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("--config: cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  try {
    json doc = json::parse(text.str());
    if (!doc.is_object()) throw ConfigError("config: " + path.string() + ": expected a JSON object at top level");
    return doc;
  } catch (const json::parse_error& e) {
    throw ConfigError("config: " + path.string() + ": " + e.what());
  }
}

RuntimeConfig build_config(const json& user, const Overrides& overrides, const std::vector<const DeviceKind*>& kinds) {
  if (kinds.empty()) throw ConfigError("config: no device kinds are built in");
  check_flags(overrides, kinds);

  json doc = user.is_null() ? json::object() : user;
  if (!doc.is_object()) fail("(top level)", "expected an object");
  reject_unknown_keys(doc, kTopLevelKeys, "");

  if (!doc.contains("devices")) doc["devices"] = json::array({json::object()});
  json& devices = doc["devices"];
  if (!devices.is_array() || devices.empty()) fail("devices", "expected a non-empty array of device objects");
  if (const auto flag = first_device_flag(overrides); flag && devices.size() != 1) {
    fail_flag(*flag, "per-device flags need a configuration with exactly one device (this one has " +
                         std::to_string(devices.size()) + "); set it in the config file instead");
  }
  if (devices.size() == 1) {
    if (!devices[0].is_object()) fail("devices[0]", "expected an object");
    apply_device_flags(devices[0], overrides);
  }
  if (overrides.timing) {
    for (auto& d : devices) {
      if (d.is_object()) d.erase("timing");  // --timing wins over the file for every device
    }
  }

  RuntimeConfig rc;
  const std::string timing = overrides.timing.value_or(string_field(doc, "timing", "", "wire"));
  if (auto p = timing_problem(timing)) fail("timing", *p);
  rc.timing = to_timing(timing);
  rc.log_level = overrides.log_level.value_or(string_field(doc, "log_level", "", "info"));
  if (auto p = log_level_problem(rc.log_level)) fail("log_level", *p);
  rc.control = overrides.control.value_or(string_field(doc, "control", "", ""));
  if (auto p = control_problem(rc.control)) fail("control", *p);
  rc.trace = overrides.trace.value_or(string_field(doc, "trace", "", ""));
  rc.ready_file = overrides.ready_file.value_or(string_field(doc, "ready_file", "", ""));
  rc.pid_file = overrides.pid_file.value_or(string_field(doc, "pid_file", "", ""));

  for (std::size_t i = 0; i < devices.size(); ++i) {
    rc.devices.push_back(resolve_device(devices[i], i, kinds, kinds.front()->name, rc.timing));
    for (std::size_t j = 0; j < i; ++j) {
      if (rc.devices[j].name == rc.devices[i].name) {
        fail("devices[" + std::to_string(i) + "].name",
             "\"" + rc.devices[i].name + "\" is already used by devices[" + std::to_string(j) + "]");
      }
    }
  }
  if (!overrides.sets.empty()) {
    for (const auto& s : overrides.sets) apply_set(rc.devices[0].settings, s);
    try {
      rc.devices[0].uart = uart_settings_from_json(rc.devices[0].settings.value("uart", json()));
      net::NetConfig::from_json(rc.devices[0].settings.value("network", json()));
    } catch (const std::invalid_argument& e) {
      fail_flag("--set", e.what());
    }
  }
  return rc;
}

}  // namespace simdev::config
