#include "libsim/mqtt/topic_check.hpp"

#include <mosquitto.h>

namespace simdev::mqtt {

bool valid_publish_topic(const std::string& topic) {
  return !topic.empty() && mosquitto_pub_topic_check(topic.c_str()) == MOSQ_ERR_SUCCESS;
}

bool valid_subscribe_topic(const std::string& topic) {
  return !topic.empty() && mosquitto_sub_topic_check(topic.c_str()) == MOSQ_ERR_SUCCESS;
}

}  // namespace simdev::mqtt
