#pragma once
// Access to configs/*.json compiled into the binary (see cmake/embed_configs.cmake).
#include <map>
#include <string>
#include <string_view>

namespace simdev {
// Text of configs/<name>.json; throws std::out_of_range for an unknown name.
std::string_view embedded_config(std::string_view name);
const std::map<std::string, std::string_view, std::less<>>& embedded_configs();
}  // namespace simdev
