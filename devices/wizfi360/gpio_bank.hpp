#pragma once
// The module's user-configurable IO pins (manual 3.1.10 pin table): mode (0 function, 1 GPIO), pull-up,
// direction, the level the module drives and the level the outside world drives.
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

namespace simdev::wizfi360 {

struct Pin {
  long mode = 0;       // 0: the pin's function (RESERVED/UART), 1: GPIO
  long pull_up = 0;
  long direction = 0;  // 0 input, 1 output
  long out_level = 0;
  std::optional<long> driven_level;  // set by the control plane; nullopt: floating
  long level() const;                // what SYSGPIOREAD reports
};

class GpioBank {
 public:
  GpioBank();
  Pin* find(long number);
  const std::map<long, Pin>& pins() const { return pins_; }
  void reset();
  nlohmann::json to_json() const;

 private:
  std::map<long, Pin> pins_;
};

}  // namespace simdev::wizfi360
