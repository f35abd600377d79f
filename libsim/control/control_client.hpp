#pragma once
// Client side of the control plane (used by `simdev ctl` and by tests): send one request line, get one reply.
#include <chrono>
#include <string>

#include "libsim/control/control_endpoint.hpp"

namespace simdev::control {

// Sends `request` (one JSON object, no newline) and returns the reply line without its newline.
// Throws std::runtime_error when the endpoint cannot be reached or does not answer within `timeout`.
std::string send_request(const ControlEndpoint& endpoint, const std::string& request,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace simdev::control
