// The SetParameterValues task that gives a CPE its connection-request login.

#include <vpnaas/acs/connection_request_login.hpp>
#include <vpnaas/secrets/cpe_credentials.hpp>

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace vpnaas;
using namespace vpnaas::acs;

namespace {

secrets::MasterKey key_of(unsigned char seed) {
  return secrets::MasterKey(std::vector<unsigned char>(secrets::kMasterKeyBytes, seed), "test");
}

Task as_stored(const NewTask& made, TaskId id = 7) {
  Task task;
  task.id = id;
  task.serial = made.serial;
  task.kind = made.kind;
  task.payload_json = made.payload_json;
  task.command_key = made.command_key;
  return task;
}

} // namespace

TEST_CASE("login task: Device. root for RouterOS, the serial as username, no password stored") {
  auto made = connection_request_login_task("HCQ09EX6AZK", cwmp::DataModel::device);
  REQUIRE(made);
  CHECK(made->serial == "HCQ09EX6AZK");
  CHECK(made->kind == TaskKind::set_parameter_values);
  CHECK(made->command_key == kConnectionRequestLoginKey);
  auto payload = nlohmann::json::parse(made->payload_json);
  REQUIRE(payload["parameters"].size() == 2);
  CHECK(payload["parameters"][0]["name"] == "Device.ManagementServer.ConnectionRequestUsername");
  CHECK(payload["parameters"][0]["value"] == "HCQ09EX6AZK");
  CHECK(payload["parameters"][1]["name"] == "Device.ManagementServer.ConnectionRequestPassword");
  CHECK(payload["parameters"][1]["derived"] == "connection-request-password");
  CHECK_FALSE(payload["parameters"][1].contains("value"));

  auto key = key_of(3);
  auto expected = secrets::derive_cpe_credentials(key, "HCQ09EX6AZK");
  REQUIRE(expected);
  CHECK(made->payload_json.find(expected->connection_request.password) == std::string::npos);

  auto rpc = resolve_set_parameter_values(as_stored(made.value()), key);
  REQUIRE(rpc);
  CHECK(rpc->parameter_key == kConnectionRequestLoginKey);
  REQUIRE(rpc->parameters.size() == 2);
  CHECK(rpc->parameters[0].value == expected->connection_request.username);
  CHECK(rpc->parameters[1].name == "Device.ManagementServer.ConnectionRequestPassword");
  CHECK(rpc->parameters[1].value == expected->connection_request.password);
  CHECK(rpc->parameters[1].type == "string");
  CHECK(rpc->parameters[1].value.size() == 32);

  // Another master key, another password from the same stored task.
  auto other = resolve_set_parameter_values(as_stored(made.value()), key_of(4));
  REQUIRE(other);
  CHECK(other->parameters[1].value != rpc->parameters[1].value);
}

TEST_CASE("login task: InternetGatewayDevice. root for a TR-098 CPE") {
  auto made = connection_request_login_task("CP1234", cwmp::DataModel::internet_gateway_device);
  REQUIRE(made);
  auto rpc = resolve_set_parameter_values(as_stored(made.value()), key_of(1));
  REQUIRE(rpc);
  REQUIRE(rpc->parameters.size() == 2);
  CHECK(rpc->parameters[0].name ==
        "InternetGatewayDevice.ManagementServer.ConnectionRequestUsername");
  CHECK(rpc->parameters[1].name ==
        "InternetGatewayDevice.ManagementServer.ConnectionRequestPassword");
}

TEST_CASE("login task: refused for an unknown data model and a serial with no login") {
  auto unknown = connection_request_login_task("HCQ09EX6AZK", cwmp::DataModel::unknown);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::invalid_input);
  CHECK(unknown.error().message.find("HCQ09EX6AZK") != std::string::npos);

  auto colon = connection_request_login_task("AB:CD", cwmp::DataModel::device);
  REQUIRE_FALSE(colon);
  CHECK(colon.error().code == ErrorCode::usage);
  CHECK_FALSE(connection_request_login_task("", cwmp::DataModel::device));
}

TEST_CASE("resolve: plain values pass through, malformed payloads are refused naming the task") {
  Task task;
  task.id = 42;
  task.serial = "HCQ09EX6AZK";
  task.kind = TaskKind::set_parameter_values;
  task.command_key = "pk-1";
  task.payload_json =
      R"({"parameters":[{"name":"Device.DeviceInfo.X_MIKROTIK_SystemIdentity",)"
      R"("value":"acme-bru-r1"},{"name":"Device.ManagementServer.PeriodicInformInterval",)"
      R"("type":"unsignedInt","value":"300"}]})";
  auto rpc = resolve_set_parameter_values(task, key_of(1));
  REQUIRE(rpc);
  REQUIRE(rpc->parameters.size() == 2);
  CHECK(rpc->parameters[0].value == "acme-bru-r1");
  CHECK(rpc->parameters[0].type == "string");
  CHECK(rpc->parameters[1].type == "unsignedInt");
  CHECK(rpc->parameter_key == "pk-1");

  for (const char* bad :
       {"", "[]", "{}", R"({"parameters":{}})", R"({"parameters":[]})",
        R"({"parameters":[{"value":"x"}]})", R"({"parameters":[{"name":"A"}]})",
        R"({"parameters":[{"name":"A","value":"x","derived":"connection-request-password"}]})",
        R"({"parameters":[{"name":"A","derived":"acs-password"}]})",
        R"({"parameters":[{"name":"A","value":7}]})"}) {
    CAPTURE(bad);
    task.payload_json = bad;
    auto refused = resolve_set_parameter_values(task, key_of(1));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::invalid_input);
    CHECK(refused.error().message.find("task 42") != std::string::npos);
  }
  task.kind = TaskKind::reboot;
  task.payload_json = "{}";
  CHECK_FALSE(resolve_set_parameter_values(task, key_of(1)));
}
