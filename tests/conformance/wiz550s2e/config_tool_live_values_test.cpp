// Get info (B0, spec §4.6/§5.3) reports the RAM config: with DHCP on, the leased address, subnet, gateway and DNS
// server replace the stored static values (the firmware copies the lease into the RAM config); without a lease the
// module falls back to, and reports, the stored values. The flash copy keeps the static values.
#include "tests/conformance/wiz550s2e/config_tool_fixture.hpp"

namespace simdev::wiz550s2e::config_tool {
namespace {

const nlohmann::json kLease{{"ip", "10.9.0.20"}, {"subnet", "255.255.0.0"}, {"gateway", "10.9.0.1"}, {"dns", "10.9.0.2"}};

class ConfigToolLiveValues : public ConfigToolDevice {
 protected:
  Settings dhcp_factory() {
    Settings s = load_device_config({{"mac", to_string(kMacA)}}).factory;
    s.dhcp_use = true;
    return s;
  }
};

TEST_F(ConfigToolLiveValues, GetInfoShowsTheDhcpLease) {
  Module& a = add_module(kMacA, {}, {{"factory", {{"dhcp_use", true}}}, {"network", {{"dhcp_lease", kLease}}}});
  start_receiving();
  Settings expected = dhcp_factory();
  expected.local_ip = {10, 9, 0, 20};
  expected.subnet = {255, 255, 0, 0};
  expected.gateway = {10, 9, 0, 1};
  expected.dns_server_ip = {10, 9, 0, 2};
  EXPECT_EQ(get_info(a, kMacA), get_info_reply(expected));
}

TEST_F(ConfigToolLiveValues, GetInfoWithoutALeaseShowsTheStoredStaticValues) {
  Module& a = add_module(kMacA, {}, {{"factory", {{"dhcp_use", true}}}});
  start_receiving();
  EXPECT_EQ(get_info(a, kMacA), get_info_reply(dhcp_factory()));
}

TEST_F(ConfigToolLiveValues, LeasedValuesAreNotWrittenToFlashByAReset) {
  Module& a = add_module(kMacA, {}, {{"factory", {{"dhcp_use", true}}}, {"network", {{"dhcp_lease", kLease}}}});
  start_receiving();
  send(tool_port(a), request(op::reset, auth_body(kMacA, "WIZnet")));
  ASSERT_EQ(collect(1).size(), 1u);
  ASSERT_TRUE(run_until([&] { return a.mode() == "data"; }));
  EXPECT_FALSE(std::filesystem::exists(a.flash_path) && flash_data(a).value("local_ip", "") == "10.9.0.20");
}

}  // namespace
}  // namespace simdev::wiz550s2e::config_tool
