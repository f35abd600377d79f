#pragma once
// Worked examples shown under --help, and the request builder of `simdev ctl`.
#include <string>
#include <vector>

namespace simdev::apps {

std::string help_examples();
std::string ctl_examples();

// `simdev ctl` words -> one JSON request line: a JSON object as given, or "OP [DEVICE]". Empty when unusable.
std::string ctl_request(const std::vector<std::string>& words);

}  // namespace simdev::apps
