#include "libsim/runtime/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace simdev::runtime {
namespace {

spdlog::sink_ptr& stderr_sink() {
  static spdlog::sink_ptr sink = [] {
    auto s = std::make_shared<spdlog::sinks::stderr_color_sink_st>();
    s->set_pattern("%H:%M:%S.%e %^%-5l%$ [%n] %v");
    return s;
  }();
  return sink;
}

spdlog::level::level_enum& current_level() {
  static spdlog::level::level_enum level = spdlog::level::info;
  return level;
}

}  // namespace

void configure_logging(const std::string& level) {
  current_level() = spdlog::level::from_str(level);
  spdlog::set_default_logger(make_logger("simdev"));
}

std::shared_ptr<spdlog::logger> make_logger(const std::string& name) {
  auto logger = std::make_shared<spdlog::logger>(name, stderr_sink());
  logger->set_level(current_level());
  logger->flush_on(spdlog::level::warn);
  return logger;
}

}  // namespace simdev::runtime
