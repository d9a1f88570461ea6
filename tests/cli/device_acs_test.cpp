// `vpnaas device ...` through the ACS: the CLI run as a process against the
// management API on a Unix socket (tests/cli/acs_server.hpp).

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "acs_server.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"

namespace fs = std::filesystem;
using namespace vpnaas::test;

namespace {

const std::string kDeviceMasterKey(64, 'b');

struct Cli {
  AcsServer acs;
  TempDir dir;
  fs::path inventory = dir.path() / "inventory";
  std::map<std::string, std::string> env;

  Cli() {
    copy_tree(source_path("inventory"), inventory);
    auto file = inventory / "customers" / "acme.yaml";
    auto text = read_file(file);
    // acme-ant-r1 is managed through the ACS: its reboot goes there by default.
    text.replace(text.find("      name: acme-ant-r1\n"), 24,
                 "      name: acme-ant-r1\n      management: cwmp\n");
    write_file(file, text);
    env = {{"VPNAAS_MASTER_KEY", kDeviceMasterKey},
           {"HOME", (dir.path() / "home").string()},
           {"XDG_STATE_HOME", (dir.path() / "state").string()},
           {"VPNAAS_INVENTORY", inventory.string()},
           {"VPNAAS_ACS", acs.socket()}};
  }

  RunResult run(std::vector<std::string> args) { return run_cli(args, env, dir.path().string()); }
  nlohmann::json run_json(std::vector<std::string> args, int expected_exit = 0) {
    args.push_back("--format");
    args.push_back("json");
    auto result = run(args);
    INFO(result.err);
    CHECK(result.exit_code == expected_exit);
    auto parsed = nlohmann::json::parse(result.out, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    return parsed;
  }
};

} // namespace

TEST_CASE("device list, accept, show and tasks go through the ACS's management socket") {
  Cli cli;
  cli.acs.answering = false;
  cli.acs.inform("HC7700001");

  auto listed = cli.run({"device", "list"});
  INFO(listed.err);
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find("SERIAL") == 0);
  CHECK(listed.out.find("HC7700001") != std::string::npos);
  CHECK(listed.out.find("pending") != std::string::npos);

  auto unknown = cli.run({"device", "accept", "HC7700001", "--device", "acme-nope"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("no device named \"acme-nope\"") != std::string::npos);

  auto accepted = cli.run({"device", "accept", "HC7700001", "--device", "acme-ghe-r1"});
  INFO(accepted.err);
  CHECK(accepted.exit_code == 0);
  CHECK(accepted.out == "HC7700001: accepted as acme-ghe-r1\n");
  CHECK(accepted.err.find("serial: \"HC7700001\"") != std::string::npos);

  auto shown = cli.run_json({"device", "show", "acme-ghe-r1"});
  CHECK(shown["device"]["serial"] == "HC7700001");
  CHECK(shown["device"]["binding"] == "accepted");

  auto queued = cli.run({"device", "upload", "acme-ghe-r1"});
  CHECK(queued.exit_code == 0);
  CHECK(queued.out.find("task 1: acme-ghe-r1 Upload is queued") == 0);
  auto tasks = cli.run({"device", "tasks", "acme-ghe-r1"});
  CHECK(tasks.exit_code == 0);
  CHECK(tasks.out.find("Upload") != std::string::npos);
  CHECK(tasks.out.find("queued") != std::string::npos);

  REQUIRE(cli.acs.store()
              .store_upload("HC7700001", std::nullopt, "1 Vendor Configuration File", "x",
                            vpnaas::acs::Clock::now())
              .ok());
  auto rejected = cli.run({"device", "reject", "HC7700001"});
  CHECK(rejected.exit_code == 0);
  CHECK(rejected.out == "HC7700001: forgotten, with 1 task(s) and 1 uploaded file(s)\n");
  CHECK(rejected.err.find("pending, like a new CPE") != std::string::npos);
  auto after = cli.run({"device", "list"});
  CHECK(after.out.find("HC7700001") == std::string::npos);
  auto again = cli.run_json({"device", "reject", "HC7700001"}, 2);
  CHECK(again["ok"] == false);
  CHECK(again["error"]["message"] == "serial 'HC7700001' has never called in to this ACS");
}

TEST_CASE("device reboot --via cwmp --wait exits 0 done, 1 fault, 5 timed out") {
  Cli cli;
  cli.acs.inform("HEX0001", "acme-bru-r1");
  auto done =
      cli.run_json({"device", "reboot", "acme-bru-r1", "--via", "cwmp", "--yes", "--wait", "20"});
  CHECK(done["task"]["state"] == "done");
  CHECK(done["task"]["kind"] == "Reboot");
  CHECK(done["timed_out"] == false);

  cli.acs.fault_code = 9005;
  auto fault = cli.run({"device", "params", "get", "acme-bru-r1", "Device.Nope.", "--wait", "20"});
  CHECK(fault.exit_code == 1);
  CHECK(fault.out.find("is fault (CWMP fault 9005: Invalid parameter name)") != std::string::npos);

  cli.acs.fault_code = 0;
  cli.acs.answering = false;
  auto began = std::chrono::steady_clock::now();
  auto timed_out =
      cli.run_json({"device", "factory-reset", "acme-bru-r1", "--yes", "--wait", "1"}, 5);
  CHECK(std::chrono::steady_clock::now() - began < std::chrono::seconds(15));
  CHECK(timed_out["timed_out"] == true);
  CHECK(timed_out["task"]["state"] == "queued");

  auto unconfirmed = cli.run({"device", "factory-reset", "acme-bru-r1"});
  CHECK(unconfirmed.exit_code == 2);
  CHECK(unconfirmed.err.find("pass --yes") != std::string::npos);
}

TEST_CASE("device reboot follows the inventory's management key, params get prints the values") {
  Cli cli;
  cli.acs.inform("HC-ANT", "acme-ant-r1");
  // management: cwmp in the inventory: no --via needed, no SSH tried.
  auto rebooted = cli.run({"device", "reboot", "acme-ant-r1", "--yes", "--wait"});
  INFO(rebooted.err);
  CHECK(rebooted.exit_code == 0);
  CHECK(rebooted.out.find("acme-ant-r1 Reboot is done") != std::string::npos);

  auto values = cli.run(
      {"device", "params", "get", "acme-ant-r1", "Device.DeviceInfo.UpTime", "--wait", "20"});
  INFO(values.out);
  CHECK(values.exit_code == 0);
  CHECK(values.out.find("  Device.DeviceInfo.UpTime = value of Device.DeviceInfo.UpTime\n") !=
        std::string::npos);

  auto set = cli.run({"device", "params", "set", "acme-ant-r1", "Device.X=1", "--wait", "20"});
  CHECK(set.exit_code == 0);
  auto bad = cli.run({"device", "params", "set", "acme-ant-r1", "novalue"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("\"novalue\" is not PATH=VALUE") != std::string::npos);
}

TEST_CASE("device push-config renders the device's script and queues it as the Download") {
  Cli cli;
  cli.acs.answering = false;
  cli.acs.inform("HEX0001", "acme-bru-r1");
  auto pushed = cli.run_json({"device", "push-config", "acme-bru-r1"});
  CHECK(pushed["task"]["kind"] == "Download");
  auto task = cli.acs.store().task(pushed["task"]["id"].get<std::int64_t>());
  REQUIRE(task.ok());
  REQUIRE(task->has_value());
  auto payload = nlohmann::json::parse((*task)->payload_json);
  CHECK(payload["file_type"] == "3 Vendor Configuration File");
  CHECK(payload["file_name"] == "vpnaas.alter");
  auto generated = cli.run(
      {"mesh", "generate", "--out", (cli.dir.path() / "out").string(), "--device", "acme-bru-r1"});
  REQUIRE(generated.exit_code == 0);
  CHECK(payload["content"] == read_file(cli.dir.path() / "out" / "acme" / "acme-bru-r1.rsc"));
}

TEST_CASE("without a server, device commands name the socket and how to start it, exit 4") {
  Cli cli;
  cli.env["VPNAAS_ACS"] = "";
  auto result = cli.run({"device", "list"});
  CHECK(result.exit_code == 4);
  auto socket = (cli.dir.path() / "state" / "vpnaas" / "acs" / "acs.sock").string();
  CHECK(result.err.find("cannot reach the ACS management API at " + socket + " (from default)") !=
        std::string::npos);
  CHECK(result.err.find("vpnaas acs serve --data") != std::string::npos);

  // --acs DIR is the folder given to `acs serve --data DIR`.
  cli.acs.inform("HC1");
  auto by_dir = cli.run({"device", "list", "--acs", cli.acs.data_dir().string()});
  CHECK(by_dir.exit_code == 0);
  CHECK(by_dir.out.find("HC1") != std::string::npos);
}

TEST_CASE("device export --via cwmp queues an Upload and with --wait prints the uploaded file") {
  Cli cli;
  cli.acs.inform("HC-ANT", "acme-ant-r1");
  // management: cwmp in the inventory: no --via needed.
  auto exported = cli.run({"device", "export", "acme-ant-r1", "--wait", "20"});
  INFO(exported.err);
  CHECK(exported.exit_code == 0);
  CHECK(exported.out == AcsServer::exported_config("HC-ANT"));

  auto doc = cli.run_json({"device", "export", "acme-ant-r1", "--via", "cwmp", "--wait", "20"});
  CHECK(doc["ok"] == true);
  CHECK(doc["via"] == "cwmp");
  CHECK(doc["state"] == "done");
  CHECK(doc["export"] == AcsServer::exported_config("HC-ANT"));

  cli.acs.answering = false;
  auto queued = cli.run_json({"device", "export", "acme-ant-r1"});
  CHECK(queued["state"] == "queued");
  CHECK(queued["export"].is_null());
  auto task = cli.acs.store().task(queued["task_id"].get<std::int64_t>());
  REQUIRE(task.ok());
  REQUIRE(task->has_value());
  CHECK((*task)->kind == vpnaas::acs::TaskKind::upload);

  auto timed_out = cli.run_json({"device", "export", "acme-ant-r1", "--wait", "1"}, 5);
  CHECK(timed_out["timed_out"] == true);
  CHECK(timed_out["state"] == "queued");

  // --wait belongs to the ACS: over SSH it is a usage error, nothing is tried.
  auto over_ssh = cli.run({"device", "export", "acme-bru-r1", "--wait", "5"});
  CHECK(over_ssh.exit_code == 2);
  CHECK(over_ssh.err.find("--wait and --acs are for --via cwmp") != std::string::npos);
}

TEST_CASE("device run --via cwmp sends the command as a .alter script and says no output comes") {
  Cli cli;
  cli.acs.inform("HC-ANT", "acme-ant-r1");
  auto ran = cli.run(
      {"device", "run", "acme-ant-r1", "--wait", "20", "--", "/system/identity/set", "name=x"});
  INFO(ran.err);
  CHECK(ran.exit_code == 0);
  CHECK(ran.out.find("acme-ant-r1: the CPE fetched the .alter file and reported success") == 0);
  CHECK(ran.err.find("CWMP gives no command output") != std::string::npos);

  auto as_json = cli.run(
      {"device", "run", "acme-ant-r1", "--format", "json", "--", "/ip", "address", "print"});
  CHECK(as_json.exit_code == 0);
  auto doc = nlohmann::json::parse(as_json.out, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  CHECK(doc["state"] == "queued");
  CHECK(doc["output"].is_null());
  CHECK(doc["command"] == "/ip address print");
  auto task = cli.acs.store().task(doc["task_id"].get<std::int64_t>());
  REQUIRE(task.ok());
  REQUIRE(task->has_value());
  auto payload = nlohmann::json::parse((*task)->payload_json);
  CHECK(payload["file_name"] == "vpnaas.alter");
  CHECK(payload["content"] == "/ip address print\n");

  cli.acs.fault_code = 9002;
  auto fault = cli.run({"device", "run", "acme-ant-r1", "--wait", "20", "--", "/nope"});
  CHECK(fault.exit_code == 1);
  CHECK(fault.out.find("CWMP fault 9002") != std::string::npos);

  cli.acs.fault_code = 0;
  cli.acs.answering = false;
  auto timed_out = cli.run({"device", "run", "acme-ant-r1", "--wait", "1", "--", "/ip", "route"});
  CHECK(timed_out.exit_code == 5);
  CHECK(timed_out.err.find("timed out after 1s: the task stays queued") != std::string::npos);

  auto unknown = cli.run({"device", "run", "acme-nope", "--via", "cwmp", "--", "/ip", "route"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("no device named \"acme-nope\"") != std::string::npos);
}
