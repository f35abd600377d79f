#pragma once
// Syntax check of a --serial SPEC ("pty", "pty:LINK", "tcp:HOST:PORT", "unix:PATH", "stdio") so a typo is
// reported as a usage error before anything is opened.
#include <optional>
#include <string>

namespace simdev::config {

// What is wrong with `spec`, or nullopt when it is well-formed.
std::optional<std::string> serial_spec_problem(const std::string& spec);

}  // namespace simdev::config
