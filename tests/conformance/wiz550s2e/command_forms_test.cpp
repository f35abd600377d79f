// Spec §1.1-§1.5: every sign and error form of every command, one fresh AT session per row.
#include <gtest/gtest.h>

#include "tests/conformance/wiz550s2e/harness.hpp"

namespace simdev::wiz550s2e::test {
namespace {

struct Form {
  std::string input;     // without the terminating LF
  std::string expected;  // exact serial output
};

void PrintTo(const Form& f, std::ostream* os) { *os << f.input; }

class Wiz550s2eCommandForms : public ::testing::TestWithParam<Form> {};

TEST_P(Wiz550s2eCommandForms, AnswersByteExact) {
  Harness h;
  h.boot_into_at_mode();
  EXPECT_EQ(h.send(GetParam().input + "\n"), GetParam().expected);
}

const std::string k36(36, 'a');
const std::string k20(20, 'b');

INSTANTIATE_TEST_SUITE_P(
    Table, Wiz550s2eCommandForms,
    ::testing::Values(
        // line discipline and parser
        Form{"AT\x1b\x01\x80\xff", "[S]\r\n"}, Form{"AT-1", "[F,,2]\r\n"}, Form{"AT?xyz", "[D,,0]\r\n"},
        Form{"HELLO", "[F,,1]\r\n"}, Form{"AT+MSTAT ", "[F,,1]\r\n"}, Form{"AT+NMODE=S", "[F,,1]\r\n"},
        Form{"AT+MSTATXXXX", "[F,,1]\r\n"}, Form{"at+mstat", "[S,,1.3.1]\r\n"},
        Form{"AT+NSET=S," + k36, "[F,,3,2]\r\n"}, Form{"AT+NOPEN=C,1,1.2.3.4," + k20, "[F,,3,4]\r\n"},
        Form{"AT+XYZ=" + k36, "[F,,3,1]\r\n"}, Form{"AT+MSET=E,,,,,,", ""}, Form{"AT+MSET=E,,,,,,x", "[F,,3]\r\n"},
        Form{"AT+NSET-2?", "[F,,3,1]\r\n"},
        // NSET / NSTAT
        Form{"AT+NSET?0", "[F,,4,1]\r\n"}, Form{"AT+NSET?x", "[F,,3,1]\r\n"}, Form{"AT+NSET?1", "[S,,S]\r\n"},
        Form{"AT+NSET?3", "[S,,255.255.255.0]\r\n"}, Form{"AT+NSET?4", "[S,,192.168.11.1]\r\n"},
        Form{"AT+NSET?5", "[S,,8.8.8.8]\r\n"}, Form{"AT+NSET", "[S,,S,192.168.11.100,255.255.255.0,192.168.11.1,8.8.8.8]\r\n"},
        Form{"AT+NSTAT?2", "[S,,192.168.11.100]\r\n"}, Form{"AT+NSTAT-1", "[F,,2]\r\n"},
        Form{"AT+NSET-", "[F,,3,1]\r\n"}, Form{"AT+NSET-x", "[F,,3,1]\r\n"}, Form{"AT+NSET-9,1.2.3.4", "[F,,4,1]\r\n"},
        Form{"AT+NSET-1,X", "[F,,3,2]\r\n"}, Form{"AT+NSET-1,s", "[S]\r\n"}, Form{"AT+NSET-3,", "[F,,3,2]\r\n"},
        Form{"AT+NSET-6,1.2.3.4", "[F,,6,2]\r\n"}, Form{"AT+NSET=s,192.168.011.100", "[S]\r\n"},
        Form{"AT+NSET=,,,,1.2.3.4,x", "[F,,3,6]\r\n"}, Form{"AT+NSET=,0.0.0.0", "[F,,3,2]\r\n"},
        Form{"AT+NSET=,1..2.3.4", "[S]\r\n"}, Form{"AT+NSET=,,,1.2.3.256", "[F,,3,4]\r\n"},
        // NMAC
        Form{"AT+NMAC?1", "[S,,00:08:dc:1d:bb:8a]\r\n"}, Form{"AT+NMAC?2", "[F,,4,1]\r\n"},
        Form{"AT+NMAC?x", "[F,,3,1]\r\n"}, Form{"AT+NMAC-1", "[F,,2]\r\n"}, Form{"AT+NMAC=00:08:DC:01:02:03", "[S]\r\n"},
        Form{"AT+NMAC=00:08:dc:01:02:0g", "[F,,3,1]\r\n"},
        // NOPEN
        Form{"AT+NOPEN?", "[F,,6]\r\n"}, Form{"AT+NOPEN-1", "[F,,2]\r\n"}, Form{"AT+NOPEN=S,0", "[F,,3,2]\r\n"},
        Form{"AT+NOPEN=S,5000,,1", "[F,,3,4]\r\n"}, Form{"AT+NOPEN=C,,1.2.3,80", "[F,,3,3]\r\n"},
        Form{"AT+NOPEN=C,,1.2.3.4,0", "[F,,3,4]\r\n"}, Form{"AT+NOPEN=U,6000,1.2.3.4", "[F,,3,4]\r\n"},
        Form{"AT+NOPEN=U,6000,,7000", "[F,,3,3]\r\n"}, Form{"AT+NOPEN=C,,1.2.3.4,80,x", "[F,,3,5]\r\n"},
        Form{"AT+NOPEN=SS,5000", "[F,,3,1]\r\n"},
        // NCLOSE
        Form{"AT+NCLOSE?", "[F,,2]\r\n"}, Form{"AT+NCLOSE-0", "[F,,2]\r\n"}, Form{"AT+NCLOSE=1", "[F,,4,1]\r\n"},
        Form{"AT+NCLOSE=x", "[F,,3,1]\r\n"}, Form{"AT+NCLOSE=", "[F,,11]\r\n"},
        // NSEND
        Form{"AT+NSEND", "[F,,2]\r\n"}, Form{"AT+NSEND?", "[F,,2]\r\n"}, Form{"AT+NSEND=x,4", "[F,,3,1]\r\n"},
        Form{"AT+NSEND=1,4", "[F,,4,1]\r\n"}, Form{"AT+NSEND=0,0", "[F,,4,2]\r\n"}, Form{"AT+NSEND=0,x", "[F,,4,2]\r\n"},
        Form{"AT+NSEND=0,", "[F,,4,2]\r\n"}, Form{"AT+NSEND=0,4,1.2.3", "[F,,3,3]\r\n"},
        Form{"AT+NSEND=0,4,,x", "[F,,3,4]\r\n"}, Form{"AT+NSEND=0,4,,,y", "[F,,3,5]\r\n"},
        Form{"AT+NSEND=0,4,,,,z", "[F,,3,6]\r\n"},
        // NSOCK, NAUTO, ESTAT
        Form{"AT+NSOCK?", "[D,,0]\r\n"}, Form{"AT+NSOCK=", "[F,,3,1]\r\n"}, Form{"AT+NSOCK=1", "[F,,4,1]\r\n"},
        Form{"AT+NSOCK-1", "[F,,2]\r\n"}, Form{"AT+NAUTO=1", "[F,,6]\r\n"}, Form{"AT+ESTAT?", "[F,,6]\r\n"},
        // MSET
        Form{"AT+MSET?", ""}, Form{"AT+MSET?3", ""}, Form{"AT+MSET=E", ""}, Form{"AT+MSET=,F", ""},
        Form{"AT+MSET-1,E", ""}, Form{"AT+MSET-2,S", ""}, Form{"AT+MSET=", "[F,,6]\r\n"},
        Form{"AT+MSET=X", "[F,,3,1]\r\n"}, Form{"AT+MSET=,X", "[F,,3,2]\r\n"}, Form{"AT+MSET?4", "[F,,4,1]\r\n"},
        Form{"AT+MSET-3,E", "[F,,6,2]\r\n"}, Form{"AT+MSET-", "[F,,3,1]\r\n"}, Form{"AT+MSET-1,X", "[F,,3,2]\r\n"},
        // MSTAT, MUSART
        Form{"AT+MSTAT?1", "[S,,1.3.1]\r\n"}, Form{"AT+MSTAT?x", "[F,,3,1]\r\n"}, Form{"AT+MSTAT-1", "[F,,2]\r\n"},
        Form{"AT+MUSART?1", "[S,,115200]\r\n"}, Form{"AT+MUSART?5", "[S,,0]\r\n"}, Form{"AT+MUSART?6", "[F,,4,1]\r\n"},
        Form{"AT+MUSART=,x", "[F,,3,2]\r\n"}, Form{"AT+MUSART=,,Q", "[F,,3,3]\r\n"},
        Form{"AT+MUSART=,,,3", "[F,,4,4]\r\n"}, Form{"AT+MUSART=,,,,4", "[F,,4,5]\r\n"},
        Form{"AT+MUSART-6,1", "[F,,4,1]\r\n"}, Form{"AT+MUSART-", "[F,,3,1]\r\n"}, Form{"AT+MUSART-2,9", "[F,,4,2]\r\n"},
        Form{"AT+MUSART-1,110", "[F,,3,2]\r\n"}, Form{"AT+MUSART-3,o", "[S]\r\n"},
        // MDATA, MSAVE, MRST
        Form{"AT+MDATA?7", "[F,,4,1]\r\n"}, Form{"AT+MDATA=", "[F,,2]\r\n"}, Form{"AT+MDATA-1", "[F,,2]\r\n"},
        Form{"AT+MSAVE=1", "[F,,2]\r\n"}, Form{"AT+MRST?", "[F,,2]\r\n"}, Form{"AT+MRST=", "[F,,2]\r\n"},
        // MMODE, MPASS, MNAME
        Form{"AT+MMODE?", "[S,,S,5000,192.168.11.101,5000]\r\n"}, Form{"AT+MMODE-1", "[F,,2]\r\n"},
        Form{"AT+MMODE=X,5000,1.2.3.4,5000", "[F,,3,1]\r\n"}, Form{"AT+MMODE=S,5000,1.2.3.4,0", "[F,,3,4]\r\n"},
        Form{"AT+MMODE=S,5000,1.2.3.4,5000,1", "[F,,3,5]\r\n"}, Form{"AT+MMODE=q,1883,1.2.3.4,1883", "[S]\r\n"},
        Form{"AT+MPASS-1", "[F,,2]\r\n"}, Form{"AT+MPASS=,1234567890", "[F,,4,1]\r\n"},
        Form{"AT+MPASS=,xyz", "[S]\r\n"}, Form{"AT+MNAME?", "[S,,WIZ550S2E]\r\n"},
        Form{"AT+MNAME=" + std::string(25, 'n'), "[F,,4,1]\r\n"}, Form{"AT+MNAME=" + k36, "[F,,3,1]\r\n"},
        // MQTT
        Form{"AT+MQTTSET?", "[S,,,,WIZ550S2E]\r\n"}, Form{"AT+MQTTSET=1234567890", "[F,,4,1]\r\n"},
        Form{"AT+MQTTSET-1", "[F,,2]\r\n"}, Form{"AT+MQTTSET=u,p,id", "[S]\r\n"},
        Form{"AT+MQTTCON?", "[F,,6]\r\n"}, Form{"AT+MQTTCON-1", "[F,,2]\r\n"}, Form{"AT+MQTTCON=x", "[F,,3,1]\r\n"},
        Form{"AT+MQTTCON=2", "[F,,4,1]\r\n"}, Form{"AT+MQTTCON=1,1.2.3", "[F,,3,2]\r\n"},
        Form{"AT+MQTTCON=1,1.2.3.4,0", "[F,,3,3]\r\n"}, Form{"AT+MQTTCON=0", "[F,,11]\r\n"},
        Form{"AT+MQTTPUB", "[F,,2]\r\n"}, Form{"AT+MQTTPUB?", "[F,,2]\r\n"}, Form{"AT+MQTTPUB=0,,4", "[F,,3,2]\r\n"},
        Form{"AT+MQTTPUB=0,a/b,0", "[F,,4,3]\r\n"}, Form{"AT+MQTTPUB=1,a,4", "[F,,4,1]\r\n"},
        Form{"AT+MQTTPUB=0," + std::string(25, 't') + ",4", "[F,,4,2]\r\n"},
        Form{"AT+MQTTSUB", "[F,,2]\r\n"}, Form{"AT+MQTTSUB=x,a", "[F,,3,1]\r\n"}, Form{"AT+MQTTSUB=2,a", "[F,,4,1]\r\n"},
        Form{"AT+MQTTSUB=1,", "[F,,3,2]\r\n"}, Form{"AT+MQTTSUB=0,a/b", "[F,,13,0,a/b]\r\n"},
        // FDNS
        Form{"AT+FDNS=", ""}));

TEST(Wiz550s2eLineDiscipline, KeepsAtMost99Characters) {
  Harness h;
  h.boot_into_at_mode();
  // 99 characters make a valid line; ten more would push argument 3 past its 35-character limit.
  std::string line = "AT+MNAME=" + std::string(24, 'x') + "," + std::string(35, 'y') + "," + std::string(29, 'z');
  ASSERT_EQ(line.size(), 99u);
  EXPECT_EQ(h.send(line + std::string(10, 'q') + "\n"), "[S]\r\n");
  EXPECT_EQ(h.send("AT+MNAME\n"), "[S,,xxxxxxxxxxxxxxxxxxxxxxxx]\r\n");
}

TEST(Wiz550s2eLineDiscipline, HistoryKeepsTheLineBeforeTheQuery) {
  Harness h;
  h.boot_into_at_mode();
  h.send("AT+MSTAT\n");
  h.send("at+nmac\n");
  EXPECT_EQ(h.send("AT?\n"), "[D,,7]\r\nat+nmac\r\n");
  EXPECT_EQ(h.send("AT?\n"), "[D,,3]\r\nAT?\r\n");
}

TEST(Wiz550s2eLineDiscipline, NoEchoEvenByteByByte) {
  Harness h;
  h.boot_into_at_mode();
  for (char c : std::string("AT+MSTA")) EXPECT_EQ(h.send(std::string(1, c)), "");
  EXPECT_EQ(h.send("T\n"), "[S,,1.3.1]\r\n");
}

}  // namespace
}  // namespace simdev::wiz550s2e::test
