#pragma once
// MQTT topic validity, as libmosquitto judges it (no wildcards in a publish topic; `+` and `#` only as whole
// levels, `#` last, in a subscription).
#include <string>

namespace simdev::mqtt {

bool valid_publish_topic(const std::string& topic);
bool valid_subscribe_topic(const std::string& topic);

}  // namespace simdev::mqtt
