#include <gtest/gtest.h>

#include "libsim/at/command_table.hpp"

namespace {

using namespace simdev::at;

TEST(AtCommandTable, ParsesTheFourForms) {
  auto exec = parse_request("AT+CWQAP", false);
  ASSERT_TRUE(exec);
  EXPECT_EQ(exec->name, "CWQAP");
  EXPECT_EQ(exec->form, Form::execute);
  EXPECT_EQ(parse_request("AT+CWMODE_CUR?", false)->form, Form::query);
  EXPECT_EQ(parse_request("AT+CWMODE_CUR=?", false)->form, Form::test);
  auto set = parse_request("AT+CWMODE_CUR=1", false);
  EXPECT_EQ(set->form, Form::set);
  EXPECT_EQ(set->args, "1");
}

TEST(AtCommandTable, BasicCommandsKeepTheirBareName) {
  auto e0 = parse_request("ATE0", false);
  ASSERT_TRUE(e0);
  EXPECT_FALSE(e0->extended);
  EXPECT_EQ(table_key(*e0), "E0");
  EXPECT_EQ(table_key(*parse_request("AT", false)), "");
  EXPECT_EQ(table_key(*parse_request("AT+GMR", false)), "+GMR");
}

TEST(AtCommandTable, LineWithoutAtPrefixIsNotARequest) {
  EXPECT_FALSE(parse_request("HELLO", false));
  EXPECT_FALSE(parse_request("A", false));
}

TEST(AtCommandTable, LowerCasePrefixOnlyWhenAllowed) {
  EXPECT_FALSE(parse_request("at+gmr", false));
  auto r = parse_request("at+gmr", true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "gmr");
}

TEST(AtCommandTable, TextAfterQueryMarkIsRejected) { EXPECT_FALSE(parse_request("AT+CWMODE?x", false)); }

TEST(AtCommandTable, FindsRowsByKeyAndRejectsDuplicates) {
  CommandTable t;
  int hits = 0;
  t.add({.name = "+GMR", .execute = [&](const Request&) { ++hits; }});
  const CommandRow* row = t.find("+GMR");
  ASSERT_NE(row, nullptr);
  row->handler(Form::execute)(Request{});
  EXPECT_EQ(hits, 1);
  EXPECT_FALSE(row->handler(Form::query));
  EXPECT_EQ(t.find("GMR"), nullptr);
  EXPECT_THROW(t.add({.name = "+GMR"}), std::logic_error);
}

}  // namespace
