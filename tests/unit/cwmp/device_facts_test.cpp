// device_facts(): what the ACS learns from an Inform.
#include <vpnaas/cwmp/codec.hpp>
#include <vpnaas/cwmp/device_facts.hpp>

#include <doctest/doctest.h>

#include "support/paths.hpp"

using namespace vpnaas::cwmp;

TEST_CASE("the real RouterOS Inform gives a Device. root, RouterOS and its connection URL") {
  auto path = vpnaas::test::shared_path("data/cwmp/mikrotik-inform-haplite-6.42rc49.xml");
  if (!path) {
    return;
  }
  auto e = read_envelope(vpnaas::test::read_file(*path));
  REQUIRE(e.ok());
  auto facts = device_facts(std::get<Inform>(e->body));
  CHECK(facts.device_id.serial_number == "XXXXXXXXXXXX");
  CHECK(facts.data_model == DataModel::device);
  CHECK(facts.routeros);
  CHECK(facts.connection_request_url ==
        "http://10.0.0.1:7547/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  CHECK(facts.software_version == "6.42rc49");
  CHECK(facts.hardware_version == "v1.0");
  REQUIRE(facts.events.size() == 1);
  CHECK(facts.events[0] == Event{EventCode::diagnostics_complete, "8 DIAGNOSTICS COMPLETE", ""});
}

TEST_CASE("a TR-098 CPE of another vendor is an InternetGatewayDevice and not RouterOS") {
  Inform inform;
  inform.device_id = {"Acme", "001122", "Box", "ACME1"};
  inform.parameters = {{"InternetGatewayDevice.DeviceInfo.SoftwareVersion", "2.0", "string"},
                       {"InternetGatewayDevice.ManagementServer.ConnectionRequestURL",
                        " http://192.0.2.1:7547/cr ", "string"},
                       {"Device.ManagementServer.ConnectionRequestURL", "http://wrong/", "string"}};
  inform.events = {{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}};
  auto facts = device_facts(inform);
  CHECK(facts.data_model == DataModel::internet_gateway_device);
  CHECK(std::string(data_model_root(facts.data_model)) == "InternetGatewayDevice.");
  CHECK_FALSE(facts.routeros);
  CHECK(facts.connection_request_url == "http://192.0.2.1:7547/cr");
  CHECK(facts.software_version == "2.0");
  CHECK(facts.has_event(EventCode::bootstrap));
  CHECK_FALSE(facts.has_event(EventCode::periodic));
}

TEST_CASE("RouterOS is recognised by its vendor parameters as well as its manufacturer") {
  Inform by_param;
  by_param.device_id.manufacturer = "Unknown";
  by_param.parameters = {{"Device.DeviceInfo.X_MIKROTIK_ArchName", "mipsbe", "string"}};
  CHECK(device_facts(by_param).routeros);

  Inform by_name;
  by_name.device_id.manufacturer = "mikrotik";
  CHECK(device_facts(by_name).routeros);
  CHECK(device_facts(by_name).data_model == DataModel::unknown);

  Inform other;
  other.device_id.manufacturer = "MikroTikish";
  other.parameters = {{"Device.X_MIKROTIKISH.Thing", "1", "string"}};
  CHECK_FALSE(device_facts(other).routeros);
}

TEST_CASE("event codes parse to the enum, M Reboot and M Download with their CommandKey") {
  Inform inform;
  inform.events = {{"7 TRANSFER COMPLETE", ""},      {"M Download", "vpnaas-task-12"},
                   {" M Reboot ", "vpnaas-task-11"}, {"X E48D8C Custom", ""},
                   {"M X_ACME_Thing", ""},           {"99 SOMETHING NEW", ""}};
  auto facts = device_facts(inform);
  REQUIRE(facts.events.size() == 6);
  CHECK(facts.events[0].code == EventCode::transfer_complete);
  CHECK(facts.events[1].code == EventCode::m_download);
  CHECK(facts.events[2].code == EventCode::m_reboot);
  CHECK(facts.events[2].text == " M Reboot ");
  CHECK(facts.events[3].code == EventCode::vendor);
  CHECK(facts.events[4].code == EventCode::vendor);
  CHECK(facts.events[5].code == EventCode::unknown);
  CHECK(facts.command_key(EventCode::m_reboot) == std::optional<std::string>("vpnaas-task-11"));
  CHECK(facts.command_key(EventCode::m_download) == std::optional<std::string>("vpnaas-task-12"));
  CHECK_FALSE(facts.command_key(EventCode::m_upload).has_value());
}

TEST_CASE("every named event code's text parses back to it") {
  for (int i = 0; i <= static_cast<int>(EventCode::m_change_du_state); ++i) {
    auto code = static_cast<EventCode>(i);
    CAPTURE(i);
    CHECK(parse_event_code(event_code_text(code)) == code);
  }
  CHECK(std::string(event_code_text(EventCode::bootstrap)) == "0 BOOTSTRAP");
  CHECK(std::string(event_code_text(EventCode::vendor)).empty());
}
