#pragma once
// The firmware's response builder (spec §1.3): [type(,sock)(,code)(,fields...)]\r\n, dumps and events.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace simdev::wiz550s2e {

enum class ErrorCode {
  unspecified = 0,
  wrong_operator = 1,
  wrong_sign = 2,
  wrong_arguments = 3,
  out_of_range = 4,
  disabled = 5,
  not_allowed = 6,
  busy = 7,
  timeout = 8,
  no_socket = 10,
  socket_closed = 11,
  port_in_use = 12,
  not_connected = 13,
  wrong_address = 14,
  no_data = 15,
  no_free_memory = 20,
};

using Fields = std::vector<std::string>;

// Success letter S (ok), W (started), R (received); `sock` is the socket id when the firmware passes one.
std::string success(char type, std::optional<int> sock, const Fields& fields = {});
std::string ok(const Fields& fields = {});
std::string failure(ErrorCode code, std::optional<int> sock = std::nullopt, const Fields& fields = {});
// [F,,code,index]
std::string arg_error(ErrorCode code, int index);
// [D,,0]\r\n or [D,,len]\r\ntext\r\n
std::string dump(std::string_view text);
// [V,sock,event]\r\n
std::string event(int sock, int code);

}  // namespace simdev::wiz550s2e
