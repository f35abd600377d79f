#include "libsim/control/control_dispatcher.hpp"

#include <algorithm>

namespace simdev::control {

using nlohmann::json;

json ok_reply(json fields) {
  json reply{{"ok", true}};
  if (fields.is_object()) reply.update(fields);
  return reply;
}

json error_reply(const std::string& message) { return {{"ok", false}, {"error", message}}; }

std::string ControlReply::line() const { return body.dump(-1, ' ', false, json::error_handler_t::replace); }

ControlDispatcher::ControlDispatcher(ControlTarget& target)
    : target_(target),
      ops_{{"state", &ControlDispatcher::op_state},
           {"reset", &ControlDispatcher::op_reset},
           {"shutdown", &ControlDispatcher::op_shutdown},
           {"ping", &ControlDispatcher::op_ping}} {}

ControlReply ControlDispatcher::handle_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  json request = json::parse(line, nullptr, false);
  if (request.is_discarded()) return {error_reply("malformed JSON request")};
  return handle(request);
}

ControlReply ControlDispatcher::handle(const json& request) {
  if (!request.is_object()) return {error_reply("request must be a JSON object")};
  const auto op_field = request.find("op");
  ControlReply reply;
  if (op_field == request.end() || !op_field->is_string()) {
    reply.body = error_reply("missing \"op\" (a string)");
  } else if (const auto op = ops_.find(op_field->get<std::string>()); op != ops_.end()) {
    reply = (this->*(op->second))(request);
  } else {
    reply = device_op(op_field->get<std::string>(), request);
  }
  if (const auto id = request.find("id"); id != request.end()) reply.body["id"] = *id;
  return reply;
}

std::string ControlDispatcher::pick_device(const json& request, std::string& error) const {
  const auto names = target_.device_names();
  const auto field = request.find("device");
  if (field == request.end()) {
    if (names.size() == 1) return names.front();
    error = "missing \"device\" (this process runs " + std::to_string(names.size()) + " devices)";
    return {};
  }
  if (!field->is_string()) {
    error = "\"device\" must be a string";
    return {};
  }
  const std::string name = field->get<std::string>();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    error = "unknown device \"" + name + "\"";
    return {};
  }
  return name;
}

ControlReply ControlDispatcher::op_state(const json& request) {
  json state = target_.state();
  if (request.contains("device")) {
    std::string error;
    const std::string name = pick_device(request, error);
    if (name.empty()) return {error_reply(error)};
    state["devices"] = json{{name, state["devices"][name]}};
  }
  return {ok_reply(std::move(state))};
}

ControlReply ControlDispatcher::op_reset(const json& request) {
  std::string error;
  const std::string name = pick_device(request, error);
  if (name.empty()) return {error_reply(error)};
  target_.reset_device(name);
  return {ok_reply({{"device", name}})};
}

ControlReply ControlDispatcher::op_shutdown(const json&) {
  ControlReply reply{ok_reply()};
  reply.shutdown_after_reply = true;
  return reply;
}

ControlReply ControlDispatcher::op_ping(const json&) { return {ok_reply()}; }

ControlReply ControlDispatcher::device_op(const std::string& op, const json& request) {
  if (!request.contains("device")) return {error_reply("unknown op \"" + op + "\"")};
  std::string error;
  const std::string name = pick_device(request, error);
  if (name.empty()) return {error_reply(error)};
  auto answer = target_.device_control(name, request);
  if (!answer) return {error_reply("unknown op \"" + op + "\" for device \"" + name + "\"")};
  if (!answer->is_object()) return {ok_reply({{"result", *answer}})};
  if (!answer->contains("ok")) (*answer)["ok"] = true;
  return {std::move(*answer)};
}

}  // namespace simdev::control
