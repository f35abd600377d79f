// MQTTSET, MQTTTOPIC, MQTTQOS, MQTTCON, MQTTPUB, MQTTPUBSEND, MQTTDIS (placeholder: the family is being built; see module.hpp).
#include "devices/wizfi360/module.hpp"

namespace simdev::wizfi360 {

void add_mqtt_commands(Module&, at::CommandTable&) {}

}  // namespace simdev::wizfi360
