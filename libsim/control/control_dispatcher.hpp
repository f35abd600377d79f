#pragma once
// One JSON request in, one JSON reply out. Every reply has "ok"; failures carry "error". A request's "id",
// if any, is copied into the reply. Ops the runtime knows are a table; any other op naming a device goes to
// that device's own control().
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "libsim/control/control_target.hpp"

namespace simdev::control {

struct ControlReply {
  nlohmann::json body;
  bool shutdown_after_reply = false;
  std::string line() const;  // body as one line, without the newline
};

class ControlDispatcher {
 public:
  explicit ControlDispatcher(ControlTarget& target);

  ControlReply handle(const nlohmann::json& request);
  // Parses one line (malformed JSON gives an error reply, never an exception).
  ControlReply handle_line(std::string_view line);

 private:
  using Op = ControlReply (ControlDispatcher::*)(const nlohmann::json& request);
  ControlReply op_state(const nlohmann::json& request);
  ControlReply op_reset(const nlohmann::json& request);
  ControlReply op_shutdown(const nlohmann::json& request);
  ControlReply op_ping(const nlohmann::json& request);
  ControlReply device_op(const std::string& op, const nlohmann::json& request);
  // The request's device, or the only device when the request names none; error text when neither works.
  std::string pick_device(const nlohmann::json& request, std::string& error) const;

  ControlTarget& target_;
  const std::map<std::string, Op, std::less<>> ops_;
};

// Reply helpers.
nlohmann::json ok_reply(nlohmann::json fields = nlohmann::json::object());
nlohmann::json error_reply(const std::string& message);

}  // namespace simdev::control
