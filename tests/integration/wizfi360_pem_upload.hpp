#pragma once
// AT+CASEND / AT+CLICASEND / AT+AWSPKSEND as a terminal program does it (spec §5): `=1`, wait for the prompt,
// then the PEM line by line with CRLF. Returns the module's answer after the END line.
#include <chrono>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "tests/support/serial_client.hpp"

namespace simdev::test {

inline std::string upload_pem(SerialClient& c, std::string_view command, const std::string& pem) {
  c.write("AT+" + std::string(command) + "=1\r\n");
  EXPECT_EQ(c.read_until("> "), "> ");
  std::size_t start = 0;
  while (start < pem.size()) {
    const std::size_t end = pem.find('\n', start);
    const std::size_t stop = end == std::string::npos ? pem.size() : end;
    c.write(pem.substr(start, stop - start) + "\r\n");
    start = stop + 1;
  }
  const std::string answer = c.read_until("\r\n", std::chrono::seconds(5));  // apart: + leaves the order open
  return answer + c.read_until("\r\n");
}

}  // namespace simdev::test
