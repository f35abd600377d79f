#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "libsim/at/line_assembler.hpp"

namespace {

using simdev::at::LineAssembler;

struct Fed {
  std::vector<std::string> lines;
  int overflows = 0;
};

Fed feed(LineAssembler& a, std::string_view bytes) {
  Fed out;
  for (char c : bytes) {
    auto e = a.push(static_cast<std::uint8_t>(c));
    if (e == LineAssembler::Event::line) out.lines.push_back(a.take_line());
    if (e == LineAssembler::Event::overflow) ++out.overflows;
  }
  return out;
}

TEST(AtLineAssembler, CrLfEndsALineAndTheCrIsStripped) {
  LineAssembler a(2560);
  EXPECT_EQ(feed(a, "AT\r\n").lines, std::vector<std::string>{"AT"});
}

TEST(AtLineAssembler, LfAloneEndsALine) {
  LineAssembler a(2560);
  EXPECT_EQ(feed(a, "AT\n").lines, std::vector<std::string>{"AT"});
}

TEST(AtLineAssembler, LoneCrStaysInTheLine) {
  LineAssembler a(2560);
  EXPECT_EQ(feed(a, "A\rT\r\n").lines, std::vector<std::string>{"A\rT"});
}

TEST(AtLineAssembler, OnlyOneCrIsStripped) {
  LineAssembler a(2560);
  EXPECT_EQ(feed(a, "AT\r\r\n").lines, std::vector<std::string>{"AT\r"});
}

TEST(AtLineAssembler, EmptyLineIsReportedEmpty) {
  LineAssembler a(2560);
  EXPECT_EQ(feed(a, "\r\n").lines, std::vector<std::string>{""});
}

TEST(AtLineAssembler, LineAtTheLimitIsAccepted) {
  LineAssembler a(4);
  auto f = feed(a, "ABCD\r\n");
  EXPECT_EQ(f.lines, std::vector<std::string>{"ABCD"});
  EXPECT_EQ(f.overflows, 0);
}

TEST(AtLineAssembler, OverlongLineIsDiscardedUpToItsLf) {
  LineAssembler a(4);
  auto f = feed(a, "ABCDEFGHIJ\r\nAT\r\n");
  EXPECT_EQ(f.overflows, 1);
  EXPECT_EQ(f.lines, std::vector<std::string>{"AT"});
}

TEST(AtLineAssembler, OneByteOverTheLimitOverflows) {
  LineAssembler a(4);
  auto f = feed(a, "ABCDE\n");
  EXPECT_EQ(f.overflows, 1);
  EXPECT_TRUE(f.lines.empty());
}

}  // namespace
