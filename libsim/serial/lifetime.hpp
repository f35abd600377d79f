#pragma once
// Guards completion handlers against running after their owner is gone: a handler already queued in the
// io_context when the owner is destroyed sees an expired token and does nothing.
#include <memory>
#include <utility>

namespace simdev::serial {

class Lifetime {
 public:
  template <class F>
  auto guard(F f) const {
    return [token = std::weak_ptr<const char>(token_), f = std::move(f)](auto&&... args) mutable {
      if (token.expired()) return;
      f(std::forward<decltype(args)>(args)...);
    };
  }

 private:
  std::shared_ptr<const char> token_ = std::make_shared<const char>('\0');
};

}  // namespace simdev::serial
