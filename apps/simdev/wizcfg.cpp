#include "apps/simdev/wizcfg.hpp"

#include <random>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "apps/simdev/wizcfg_fields.hpp"
#include "apps/simdev/wizcfg_transport.hpp"
#include "devices/wiz550s2e/config_tool_codec.hpp"
#include "devices/wiz550s2e/config_tool_requests.hpp"
#include "devices/wiz550s2e/eeprom_image.hpp"
#include "libsim/net/host_port.hpp"
#include "libsim/runtime/exit_codes.hpp"

namespace simdev::apps::wizcfg {
namespace {

namespace ct = wiz550s2e::config_tool;
using wiz550s2e::Mac;
using wiz550s2e::Settings;

struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

std::string version_text(const std::array<std::uint8_t, 3>& v) {
  return std::to_string(v[0]) + "." + std::to_string(v[1]) + "." + std::to_string(v[2]);
}

const char* status_text(std::uint8_t status) {
  switch (status) {
    case 0: return "Disconnected";
    case 1: return "Connected";
    case 2: return "UDP";
    default: return "Unknown";
  }
}

class Command {
 public:
  Command(const Options& o, std::FILE* out, std::FILE* err) : o_(o), out_(out), err_(err), transport_(o.target) {}

  int run() {
    const std::string& name = o_.words.at(0);
    if (name == "search") return search();
    if (name == "get") return get();
    if (name == "set") return set();
    if (name == "reset") return simple(ct::op::reset, "reset");
    if (name == "factory-reset") return simple(ct::op::factory_reset, "factory reset");
    if (name == "upload") return upload();
    throw UsageError("unknown command \"" + name + "\" (expected search, get, set, reset, factory-reset, upload)");
  }

 private:
  // Like the vendor tool: the body is always flagged as encrypted, with a fresh key 0..126.
  ct::Header header(std::uint8_t op) {
    static std::mt19937 rng{std::random_device{}()};
    ct::Header h;
    h.valid = static_cast<std::uint8_t>(0x80 | std::uniform_int_distribution<int>(0, 126)(rng));
    h.unicast = 1;
    h.op = op;
    return h;
  }

  Mac mac_argument() {
    if (o_.words.size() < 2) throw UsageError(o_.words[0] + ": expected the module's MAC address");
    auto mac = wiz550s2e::parse_mac(o_.words[1]);
    if (!mac) throw UsageError("MAC: \"" + o_.words[1] + "\" is not xx:xx:xx:xx:xx:xx");
    return *mac;
  }

  const std::string& password() {
    if (!o_.password_given) throw UsageError(o_.words[0] + ": --password is required (the module's setting password)");
    return o_.password;
  }

  void no_extra_words(std::size_t allowed) {
    if (o_.words.size() > allowed) throw UsageError(o_.words[0] + ": unexpected argument \"" + o_.words[allowed] + "\"");
  }

  // Sends one request and waits for the reply of `op` from `mac` (the module stays silent on a wrong password).
  std::optional<ct::Message> exchange(std::uint8_t op, const Bytes& body, const Mac& mac) {
    transport_.send(ct::encode(header(op), body));
    return wait_for(op, mac, std::chrono::milliseconds(o_.timeout_ms));
  }

  std::optional<ct::Message> wait_for(std::uint8_t op, const Mac& mac, std::chrono::milliseconds timeout) {
    std::optional<ct::Message> found;
    transport_.receive(timeout, [&](ByteView datagram) {
      auto m = ct::decode(datagram, ct::kReply);
      if (!m || m->header.op != op || m->body.size() < 6 || !std::equal(mac.begin(), mac.end(), m->body.begin()))
        return false;
      found = std::move(m);
      return true;
    });
    return found;
  }

  int no_reply(const Mac& mac, const char* what, bool authenticated) {
    std::fprintf(err_, "simdev wizcfg: no %s reply from %s within %d ms (%s)\n", what,
                 wiz550s2e::to_string(mac).c_str(), o_.timeout_ms,
                 authenticated ? "wrong password, or no such module at the target"
                               : "no such module at the target");
    return exit_failure;
  }

  int search() {
    no_extra_words(1);
    transport_.send(ct::encode(header(ct::op::discover_all), {}));
    nlohmann::json found = nlohmann::json::array();
    transport_.receive(std::chrono::milliseconds(o_.timeout_ms), [&](ByteView datagram) {
      auto m = ct::decode(datagram, ct::kReply);
      if (!m || m->header.op != ct::op::discover_all || m->body.size() != 12) return false;
      Mac mac{};
      std::copy_n(m->body.begin() + 6, 6, mac.begin());
      const bool s2e = std::equal(ct::kWiz550s2eProduct.begin(), ct::kWiz550s2eProduct.end(), m->body.begin());
      found.push_back({{"mac", wiz550s2e::to_string(mac)},
                       {"product", s2e ? "WIZ550S2E" : "unknown"},
                       {"firmware", version_text({m->body[3], m->body[4], m->body[5]})}});
      return false;  // collect until the timeout: every module on the segment answers
    });
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a["mac"] < b["mac"]; });
    if (o_.json) {
      std::fprintf(out_, "%s\n", found.dump().c_str());
    } else {
      std::fprintf(out_, "%-17s  %-9s  %s\n", "MAC", "PRODUCT", "FIRMWARE");
      for (const auto& m : found)
        std::fprintf(out_, "%-17s  %-9s  %s\n", m["mac"].get<std::string>().c_str(),
                     m["product"].get<std::string>().c_str(), m["firmware"].get<std::string>().c_str());
      std::fprintf(out_, "%zu module(s) found\n", found.size());
    }
    return exit_ok;
  }

  std::optional<Settings> fetch_settings(const Mac& mac) {
    auto reply = exchange(ct::op::get_info, ct::get_info_body(mac), mac);
    if (!reply || reply->body.size() != 6 + wiz550s2e::kImageSize) return std::nullopt;
    return wiz550s2e::from_image(ByteView(reply->body).subspan(6));
  }

  void print_settings(const Mac& mac, const Settings& s, const char* verb) {
    nlohmann::json fields = wiz550s2e::to_json(s);
    if (o_.json) {
      std::fprintf(out_, "%s\n",
                   nlohmann::json{{"mac", wiz550s2e::to_string(mac)}, {"firmware", version_text(s.fw_ver)},
                                  {"status", status_text(s.state)}, {"settings", fields}}
                       .dump()
                       .c_str());
      return;
    }
    std::fprintf(out_, "%s %s (firmware %s, %s)\n", verb, wiz550s2e::to_string(mac).c_str(),
                 version_text(s.fw_ver).c_str(), status_text(s.state));
    for (const auto& [key, value] : fields.items()) {
      if (key == "state") continue;
      const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
      std::fprintf(out_, "  %-24s %s\n", key.c_str(), text.c_str());
    }
  }

  int get() {
    no_extra_words(2);
    const Mac mac = mac_argument();
    auto settings = fetch_settings(mac);
    if (!settings) return no_reply(mac, "get-info", false);
    print_settings(mac, *settings, "module");
    return exit_ok;
  }

  int set() {
    const Mac mac = mac_argument();
    const std::string& pw = password();
    const std::vector<std::string> assignments(o_.words.begin() + 2, o_.words.end());
    if (assignments.empty()) throw UsageError("set: expected FIELD=VALUE arguments (e.g. local_ip=192.168.11.7)");
    // Check the fields before talking to the module, against any valid settings.
    apply_fields(Settings{}, assignments);
    auto current = fetch_settings(mac);
    if (!current) return no_reply(mac, "get-info", false);
    Settings wanted = apply_fields(*current, assignments);
    wanted.mac = mac;  // like the vendor tool: the module's own MAC, state 0, a standard header
    wanted.state = 0;
    wanted.packet_size = static_cast<std::uint16_t>(wiz550s2e::kImageSize);
    wanted.module_type = ct::kWiz550s2eProduct;
    auto reply = exchange(ct::op::set_info, ct::set_info_body(mac, pw, wiz550s2e::to_image(wanted)), mac);
    if (!reply || reply->body.size() != 6 + wiz550s2e::kImageSize) return no_reply(mac, "set-info", true);
    auto stored = wiz550s2e::from_image(ByteView(reply->body).subspan(6));
    print_settings(mac, *stored, "set, module resets:");
    return exit_ok;
  }

  int simple(std::uint8_t op, const char* what) {
    no_extra_words(2);
    const Mac mac = mac_argument();
    auto reply = exchange(op, ct::auth_body(mac, password()), mac);
    if (!reply) return no_reply(mac, what, true);
    if (o_.json) std::fprintf(out_, "%s\n", nlohmann::json{{"mac", wiz550s2e::to_string(mac)}, {"ok", true}}.dump().c_str());
    else std::fprintf(out_, "%s %s: done, module resets\n", what, wiz550s2e::to_string(mac).c_str());
    return exit_ok;
  }

  int upload() {
    no_extra_words(3);
    const Mac mac = mac_argument();
    if (o_.words.size() < 3) throw UsageError("upload: expected the firmware FILE name on the TFTP server");
    const std::string& file = o_.words[2];
    if (file.size() >= ct::kFileNameField) throw UsageError("FILE: longer than 49 characters");
    if (o_.tftp.empty()) throw UsageError("upload: --tftp HOST is required (the TFTP server as the module sees it)");
    net::HostAndOptionalPort server;
    try {
      server = net::parse_host_port(o_.tftp);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--tftp: ") + e.what());
    }
    auto ip = wiz550s2e::parse_ip(server.host);
    if (!ip) throw UsageError("--tftp: \"" + server.host + "\" is not an IPv4 address");
    const std::string& pw = password();
    auto init = exchange(ct::op::upload_init, ct::upload_body(mac, pw, *ip, server.port.value_or(69), file), mac);
    if (!init) return no_reply(mac, "upload", true);
    if (!o_.json) std::fprintf(out_, "upload %s: module is fetching %s from %s\n", wiz550s2e::to_string(mac).c_str(),
                               file.c_str(), server.host.c_str());
    std::fflush(out_);
    // The bootloader answers once the download has succeeded; the vendor tool gives it 15 s.
    auto done = wait_for(ct::op::upload_done, mac, std::chrono::milliseconds(o_.timeout_ms) * 15);
    if (!done) {
      std::fprintf(err_, "simdev wizcfg: %s did not report a finished download within %d ms (download failed; the old "
                         "firmware keeps running)\n",
                   wiz550s2e::to_string(mac).c_str(), o_.timeout_ms * 15);
      return exit_failure;
    }
    if (o_.json) std::fprintf(out_, "%s\n", nlohmann::json{{"mac", wiz550s2e::to_string(mac)}, {"file", file}, {"ok", true}}.dump().c_str());
    else std::fprintf(out_, "upload %s: done, application started\n", wiz550s2e::to_string(mac).c_str());
    return exit_ok;
  }

  const Options& o_;
  std::FILE* out_;
  std::FILE* err_;
  Transport transport_;
};

}  // namespace

int run(const Options& options, std::FILE* out, std::FILE* err) {
  try {
    if (options.words.empty()) throw UsageError("expected a command: search, get, set, reset, factory-reset, upload");
    if (options.timeout_ms <= 0) throw UsageError("--timeout: expected a positive number of milliseconds");
    Command command(options, out, err);
    return command.run();
  } catch (const std::invalid_argument& e) {  // usage errors, bad fields, bad --target
    std::fprintf(err, "simdev wizcfg: %s\n", e.what());
    return exit_usage;
  } catch (const std::exception& e) {
    std::fprintf(err, "simdev wizcfg: %s\n", e.what());
    return exit_failure;
  }
}

const char* usage_footer() {
  return "Commands:\n"
         "  search                               list every module answering on the target port\n"
         "  get MAC                              show a module's settings\n"
         "  set MAC --password P FIELD=VALUE...  change settings (names as in the flash file); the module resets\n"
         "  reset MAC --password P\n"
         "  factory-reset MAC --password P       factory defaults, MAC kept\n"
         "  upload MAC --password P --tftp IP FILE   the module fetches FILE by TFTP from IP (port 69)\n"
         "Examples:\n"
         "  simdev wizcfg search --target 127.0.0.1:6550\n"
         "  simdev wizcfg set 00:08:dc:1d:bb:8a --password WIZnet local_ip=192.168.11.7 working_mode=client\n"
         "Exit codes: 0 done, 1 no reply in time (wrong password or no such module), 2 usage error.\n";
}

}  // namespace simdev::apps::wizcfg
