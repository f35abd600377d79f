#pragma once
// Entry points the control plane (and later the web page) uses to finish a running provisioning.
#include <string>

#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

// SmartConfig / web page received credentials: prints the smartconfig lines and joins.
void deliver_credentials(Module& m, const std::string& ssid, const std::string& password);
// The WPS button of `ap` was pushed while the module runs AT+WPS=1; false when that cannot pair.
bool push_wps(Module& m, const AccessPoint& ap);

}  // namespace simdev::wizfi360
