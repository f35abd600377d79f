#pragma once
// Waiting on a condition with a deadline: the only synchronisation tests may use (never a bare sleep).
#include <chrono>
#include <functional>

namespace simdev::test {

// Polls `done` every `step` until it returns true or `timeout` passes; returns the last result.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step = std::chrono::milliseconds(2));

}  // namespace simdev::test
