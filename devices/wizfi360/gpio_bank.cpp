#include "devices/wizfi360/gpio_bank.hpp"

#include <string>

namespace simdev::wizfi360 {

namespace {
constexpr long kPinNumbers[] = {3, 6, 7, 9, 10, 11, 12, 13, 14, 16, 19, 20};
}

long Pin::level() const {
  if (direction == 1) return out_level;
  if (driven_level) return *driven_level;
  return 1;  // the manual: an input is pulled up automatically
}

GpioBank::GpioBank() { reset(); }

Pin* GpioBank::find(long number) {
  auto it = pins_.find(number);
  return it == pins_.end() ? nullptr : &it->second;
}

void GpioBank::reset() {
  std::map<long, Pin> fresh;
  for (long n : kPinNumbers) {
    Pin p;
    if (auto it = pins_.find(n); it != pins_.end()) p.driven_level = it->second.driven_level;  // outside world stays
    fresh.emplace(n, p);
  }
  pins_ = std::move(fresh);
}

nlohmann::json GpioBank::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [n, p] : pins_) {
    j[std::to_string(n)] = {{"mode", p.mode == 1 ? "gpio" : "function"},
                            {"pull_up", p.pull_up == 1},
                            {"direction", p.direction == 1 ? "output" : "input"},
                            {"level", p.level()},
                            {"driven", p.driven_level ? nlohmann::json(*p.driven_level) : nlohmann::json(nullptr)}};
  }
  return j;
}

}  // namespace simdev::wizfi360
