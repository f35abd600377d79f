# Turns every configs/*.json into a string constant reachable through
# simdev::embedded_config("<file name without .json>").
function(simdev_embed_configs target dir)
  file(GLOB json_files CONFIGURE_DEPENDS ${dir}/*.json)
  set(entries "")
  foreach(f ${json_files})
    get_filename_component(name ${f} NAME_WE)
    file(READ ${f} content)
    string(APPEND entries "    {\"${name}\", R\"simdevjson(${content})simdevjson\"},\n")
  endforeach()
  set(out ${CMAKE_BINARY_DIR}/generated/embedded_configs.cpp)
  file(CONFIGURE OUTPUT ${out} CONTENT
"// Generated from configs/*.json by cmake/embed_configs.cmake. Do not edit.
#include <map>
#include <string>
#include <string_view>
#include <stdexcept>
namespace simdev {
const std::map<std::string, std::string_view, std::less<>>& embedded_configs() {
  static const std::map<std::string, std::string_view, std::less<>> table{
${entries}  };
  return table;
}
std::string_view embedded_config(std::string_view name) {
  auto& t = embedded_configs();
  auto it = t.find(name);
  if (it == t.end()) throw std::out_of_range(\"no embedded config named \" + std::string(name));
  return it->second;
}
}  // namespace simdev
")
  add_library(${target} STATIC ${out})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${json_files})
endfunction()
