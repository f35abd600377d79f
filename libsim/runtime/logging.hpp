#pragma once
// spdlog loggers that write to stderr only (stdout carries the READY line and nothing else).
#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace simdev::runtime {

// Sets the level for every logger made here and installs a stderr default logger. Level names as --log-level.
void configure_logging(const std::string& level);
// A logger named `name` sharing the process's stderr sink.
std::shared_ptr<spdlog::logger> make_logger(const std::string& name);

}  // namespace simdev::runtime
