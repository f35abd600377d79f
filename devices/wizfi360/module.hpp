#pragma once
// The WizFi360 personality: one state machine on the loop. This header is the surface the command families
// (commands_*.cpp) and control ops (control_ops.cpp) work against; the engine itself (line assembly, echo,
// busy handling, boot) lives in module.cpp, the station side of Wi-Fi in station.cpp.
#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "devices/wizfi360/config.hpp"
#include "devices/wizfi360/gpio_bank.hpp"
#include "devices/wizfi360/radio_world.hpp"
#include "devices/wizfi360/settings.hpp"
#include "libsim/at/command_table.hpp"
#include "libsim/at/line_assembler.hpp"
#include "libsim/net/host_port.hpp"
#include "libsim/runtime/device.hpp"
#include "libsim/serial/serial_port.hpp"

namespace simdev::wizfi360 {

class NetconfigPage;
class Links;

// Which layer a set command writes (§3): _CUR the current one, _DEF and legacy spellings both.
enum class Layer { current, both };
Layer layer_of(const at::Request& req);
// Which layer a query reads: _DEF the flash, everything else the current one.
bool reads_flash(const at::Request& req);

// One timer per slot; a new after() on a slot replaces the pending one. Command families that need their own
// timers own steady_timers built on executor() instead, and drop them from a reset hook.
enum class TimerSlot { power, command, station, provisioning, send_escape, passthrough, services, count };

struct StationLink {
  enum class State { idle, joining, connected };
  State state = State::idle;
  std::optional<at::Mac> bssid;  // the AP we are associated with
  IpConfig ip;                   // what DHCP (or the static config) gave us
  bool got_ip = false;
};

struct VirtualStation {
  at::Mac mac{};
  at::Ipv4 ip{};
};

struct LapOptions {
  long sort_by_rssi = 0;
  long mask = 0x7ff;
};

using ControlOp = std::function<nlohmann::json(const nlohmann::json& request)>;

class Module final : public Device {
 public:
  Module(DeviceContext ctx, Config config);
  ~Module() override;

  // Device
  void power_on() override;
  void hardware_reset() override;
  void on_serial_rx(const serial::RxChunk& chunk) override;
  void shutdown() override;
  nlohmann::json state() const override;
  std::optional<nlohmann::json> control(const nlohmann::json& request) override;

  // ---- output ----
  void send(std::string_view bytes);
  void ok() { send("\r\nOK\r\n"); }
  void error() { send("\r\nERROR\r\n"); }
  void error(std::string_view reason);  // `<reason>\r\n\r\nERROR\r\n`
  void no_change() { send("no change\r\n\r\nOK\r\n"); }
  void line(std::string_view text);     // `<text>\r\n`

  // ---- long-running commands (§1.7) ----
  // While busy, new lines get `busy p...` except rows marked allowed_while_busy and the names in `also_allowed`.
  void begin_busy(std::function<void()> on_abort, std::vector<std::string> also_allowed = {});
  void end_busy();
  bool busy() const { return busy_; }
  bool abort_busy();  // runs the pending command's abort hook; false when nothing was pending

  // ---- timers: a handler scheduled before a reboot never runs after it ----
  void after(TimerSlot slot, Millis delay, std::function<void()> fn);
  void cancel(TimerSlot slot);

  // ---- power ----
  void reboot();                  // AT+RST, AT+RESTORE: current output is left to drain, then boot
  void deep_sleep(Millis duration);

  // ---- settings layers ----
  const Config& config() const { return config_; }
  Settings& current() { return current_; }
  const Settings& flash() const { return flash_; }
  // Applies `edit` to the current layer, and to the flash layer (then saves it) when layer == both.
  void write(Layer layer, const std::function<void(Settings&)>& edit);
  void write_flash_only(const std::function<void(Settings&)>& edit);
  void apply_uart(const UartConfig& uart);

  // ---- RAM-only state ----
  bool& echo() { return echo_; }
  long& sleep_mode() { return sleep_mode_; }
  LapOptions& lap_options() { return lap_options_; }
  std::string& hostname() { return hostname_; }
  GpioBank& gpio() { return gpio_; }
  RadioWorld& world() { return world_; }
  std::vector<VirtualStation>& softap_stations() { return softap_stations_; }
  Links& links() { return *links_; }
  // Payload entry after a `> ` prompt: while set, serial bytes go here (never echoed) instead of the line
  // assembler. The hook consumes at least one byte of a non-empty view and returns how many it took.
  void set_raw_input(std::function<std::size_t(ByteView)> hook) { raw_input_ = std::move(hook); }
  // Between the last CIPSEND payload byte and SEND OK/FAIL: command lines get `busy s...` (§1.7).
  bool& sending() { return sending_; }
  bool station_enabled() const { return current_.mode == 1 || current_.mode == 3; }
  bool softap_enabled() const { return current_.mode == 2 || current_.mode == 3; }

  // ---- station (station.cpp) ----
  const StationLink& link() const { return link_; }
  // Foreground join for CWJAP and provisioning: prints WIFI DISCONNECT (if associated), WIFI CONNECTED and
  // WIFI GOT IP; `done(0)` on success, else the +CWJAP code 1..4.
  void join(const StationAp& target, std::function<void(int code)> done);
  // Drops the association; prints WIFI DISCONNECT when there was one.
  void leave_ap();
  // CWQAP: leave and stop autoconnect until the next join or boot.
  void quit_ap();
  // The radio world changed (AP down/up/removed, RSSI): react as the station would.
  void world_changed();
  // Mode change: a station that is no longer enabled leaves its AP.
  void mode_changed();

  // ---- provisioning state (commands_provisioning.cpp) ----
  enum class Provisioning { none, smartconfig, wps, netconfig };
  Provisioning& provisioning() { return provisioning_; }

  void add_control_op(std::string name, ControlOp op);

  // ---- hooks for command families that keep their own RAM-only state ----
  // Reset hooks run at every boot, deep sleep and shutdown (drop sessions, timers, RAM settings); ready hooks
  // run right after `ready` has been printed (SAVETRANSLINK's boot link starts from there).
  void add_reset_hook(std::function<void()> hook) { reset_hooks_.push_back(std::move(hook)); }
  void add_ready_hook(std::function<void()> hook) { ready_hooks_.push_back(std::move(hook)); }
  // The executor of the device loop and the virtual network (nullptr in in-memory tests without one).
  boost::asio::any_io_executor executor() const { return ctx_.executor; }
  net::VirtualNetwork* network() const { return ctx_.net; }
  const DeviceContext& context() const { return ctx_; }
  // During a raw-input hook call: when the byte at `p` (a pointer into the view the hook was given) finished
  // arriving on the RX pin. Outside a hook call: now.
  serial::Clock::time_point arrival_of(const std::uint8_t* p) const;

  // ---- the WIZ_NETCONFIG web page (needs the VirtualNetwork; absent in in-memory tests) ----
  // Starts it (idempotent); false with a reason when it cannot listen. Without a network it is a no-op.
  bool start_web_page(std::string& error);
  void stop_web_page();

 private:
  void boot();
  void handle_line(std::string line);
  void dispatch(const at::Request& req);
  void save_flash();
  void load_flash();
  void start_autoconnect(Millis delay);
  void finish_join(const StationAp& target, std::function<void(int)> done);

  DeviceContext ctx_;
  Config config_;
  at::CommandTable table_;
  std::map<std::string, ControlOp, std::less<>> control_ops_;
  at::LineAssembler lines_;
  std::array<std::optional<boost::asio::steady_timer>, static_cast<std::size_t>(TimerSlot::count)> timers_;
  unsigned epoch_ = 0;

  enum class Power { booting, on, asleep, off };
  Power power_ = Power::off;
  bool echo_ = true;
  bool busy_ = false;
  std::function<void()> abort_hook_;
  std::vector<std::string> busy_allowed_;

  Settings flash_;
  Settings current_;
  long sleep_mode_ = 2;
  LapOptions lap_options_;
  std::string hostname_;
  GpioBank gpio_;
  RadioWorld world_;
  std::vector<VirtualStation> softap_stations_;
  StationLink link_;
  bool station_wanted_ = false;  // autoconnect may (re)join the current station AP
  Provisioning provisioning_ = Provisioning::none;
  std::unique_ptr<NetconfigPage> web_page_;
  std::uint64_t lines_seen_ = 0;
  std::unique_ptr<Links> links_;
  std::function<std::size_t(ByteView)> raw_input_;
  bool sending_ = false;
  std::vector<std::function<void()>> reset_hooks_;
  std::vector<std::function<void()>> ready_hooks_;
  const serial::RxChunk* rx_chunk_ = nullptr;  // the chunk on_serial_rx is working through
};

// Command families; each adds its rows to the table.
void add_system_commands(Module& m, at::CommandTable& t);
void add_gpio_commands(Module& m, at::CommandTable& t);
void add_station_commands(Module& m, at::CommandTable& t);
void add_softap_commands(Module& m, at::CommandTable& t);
void add_ip_commands(Module& m, at::CommandTable& t);
void add_provisioning_commands(Module& m, at::CommandTable& t);
void add_tcpip_commands(Module& m, at::CommandTable& t);
void add_control_ops(Module& m);
void add_server_commands(Module& m, at::CommandTable& t);       // CIPSERVER, CIPSERVERMAXCONN, CIPSTO
void add_sendbuf_commands(Module& m, at::CommandTable& t);      // CIPSENDEX, CIPSENDBUF, CIPBUFSTATUS, ...
void add_passthrough_commands(Module& m, at::CommandTable& t);  // CIPMODE, SAVETRANSLINK
void add_service_commands(Module& m, at::CommandTable& t);      // CIPDOMAIN, CIPDNS, PING, SNTP, CIUPDATE
void add_ssl_commands(Module& m, at::CommandTable& t);          // CIPSSLSIZE, CIPSSLCCONF, CASEND, ...
void add_mqtt_commands(Module& m, at::CommandTable& t);         // MQTTSET ... MQTTDIS
void add_cloud_commands(Module& m, at::CommandTable& t);        // AZSET, AZCON, AWSCON

// Cross-family entry points (each defined in the family's file).
// `AT+CIPSEND` without arguments (commands_passthrough.cpp).
void enter_passthrough(Module& m);
// `AT+CIPSTART=[id,]"SSL",host,port[,keepalive]` after the common argument checks (commands_ssl.cpp).
void start_ssl(Module& m, int id, const net::HostPort& destination, int keepalive_s);

// Shared handler helpers.
std::optional<at::Args> parse_args(const at::Request& req, std::size_t min_count, std::size_t max_count);
// Adds the legacy, _CUR and _DEF rows for a layered command; `legacy` false for commands without the
// un-suffixed form (CWDHCPS, CWCOUNTRY, UART).
void add_layered(at::CommandTable& t, const std::string& base, bool legacy, const at::CommandRow& prototype);

}  // namespace simdev::wizfi360
