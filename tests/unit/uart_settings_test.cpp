#include <gtest/gtest.h>

#include "libsim/serial/uart_settings.hpp"

using simdev::serial::Parity;
using simdev::serial::StopBits;
using simdev::serial::UartSettings;

TEST(UartSettings, Frame8N1At115200Is11520CharsPerSecond) {
  UartSettings s;
  EXPECT_EQ(s.frame_half_bits(), 20u);
  EXPECT_DOUBLE_EQ(s.chars_per_second(), 11520.0);
  EXPECT_EQ(s.char_time().count(), 86805);
}

TEST(UartSettings, ParityAndStopBitsLengthenTheFrame) {
  UartSettings s;
  s.baud = 9600;
  s.parity = Parity::even;
  s.stop_bits = StopBits::two;
  EXPECT_EQ(s.frame_half_bits(), 24u);  // 1 + 8 + 1 + 2 bits
  EXPECT_DOUBLE_EQ(s.chars_per_second(), 800.0);
  s.stop_bits = StopBits::one_and_half;
  s.data_bits = 7;
  EXPECT_EQ(s.frame_half_bits(), 21u);  // 1 + 7 + 1 + 1.5 bits
}

TEST(UartSettings, RendersCompactly) {
  UartSettings s;
  EXPECT_EQ(simdev::serial::to_string(s), "115200,8N1,none");
}
