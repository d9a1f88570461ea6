// `vpnaas device ...` end to end: the built CLI talks to a real `vpnaas acs
// serve` over its management socket, the server wakes the CPE simulator with
// connection requests (Digest, checked by the simulator) and the simulator
// runs the sessions that deliver the tasks. Nothing in process stands in for
// the server.

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <thread>

#include "support/cwmp/acs_process.hpp"
#include "support/cwmp/cpe_simulator.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"

namespace vpnaas::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPendingSerial = "HCQ08A2VJ7P";

std::filesystem::path socket_of(const AcsProcess& server) {
  return server.dir() / "data" / "acs.sock";
}

nlohmann::json device_json(const AcsProcess& server, const std::string& name) {
  const RunResult shown = run_cli({"device", "show", name, "--format", "json"}, cli_env(server));
  REQUIRE_MESSAGE(shown.exit_code == 0, shown.err);
  return nlohmann::json::parse(shown.out)["device"];
}

std::string metrics_of(const AcsProcess& server) {
  const RunResult scraped =
      run({"curl", "-sS", "--unix-socket", socket_of(server).string(), "http://acs/metrics"});
  REQUIRE_MESSAGE(scraped.exit_code == 0, scraped.err);
  return scraped.out;
}

// Runs `args` while the simulator answers the connection request it causes.
RunResult run_woken(const AcsProcess& server, CpeSimulator& cpe, std::size_t woken_before,
                    const std::vector<std::string>& args) {
  auto cli = std::async(std::launch::async, [&] { return run_cli(args, cli_env(server)); });
  CHECK_MESSAGE(cpe.wait_for_woken_sessions(woken_before + 1, 20s), server.log());
  return cli.get();
}

TEST_CASE(
    "a pending CPE is accepted and managed with vpnaas device, woken by connection requests") {
  AcsProcess server;
  auto config = routeros_cpe(server, kPendingSerial);
  if (!config) {
    MESSAGE("skipped: ../shared/data/cwmp is not here");
    return;
  }
  CpeSimulator cpe(*config);
  const std::string cr_url = cpe.listen_for_connection_requests();
  const auto env = cli_env(server);

  const SessionLog first = cpe.run_session({{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}});
  REQUIRE_MESSAGE(first.final_status == 204, first.error);
  CHECK(first.rpcs.empty());
  CHECK_FALSE(first.connection_request_login_set);

  const RunResult listed = run_cli({"device", "list"}, env);
  REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
  CHECK(listed.out.find(kPendingSerial) != std::string::npos);
  CHECK(listed.out.find("pending") != std::string::npos);

  const RunResult accepted =
      run_cli({"device", "accept", kPendingSerial, "--device", "acme-ant-r1"}, env);
  REQUIRE_MESSAGE(accepted.exit_code == 0, accepted.err);
  CHECK(accepted.err.find("serial: \"" + std::string(kPendingSerial) + "\"") != std::string::npos);

  // The first session after the accept sets the connection-request login.
  const SessionLog second = cpe.run_session();
  REQUIRE_MESSAGE(second.final_status == 204, second.error);
  CHECK(second.connection_request_login_set);
  CHECK(second.rpcs.empty());
  CHECK(device_json(server, "acme-ant-r1")["connection_request_url"] == cr_url);

  SUBCASE("reboot, params get and set, push-config, upload, a fault, tasks and metrics") {
    // Reboot: the connection request wakes the CPE, which takes the Reboot;
    // the CPE's boot Inform (M Reboot) settles it while the CLI waits.
    auto reboot = std::async(std::launch::async, [&] {
      return run_cli({"device", "reboot", "acme-ant-r1", "--via", "cwmp", "--yes", "--wait", "20"},
                     env);
    });
    REQUIRE_MESSAGE(cpe.wait_for_woken_sessions(1, 20s), server.log());
    CHECK(cpe.woken_sessions()[0].rpcs == std::vector<std::string>{"Reboot"});
    CHECK(cpe.woken_sessions()[0].events.front().event_code == "6 CONNECTION REQUEST");
    const SessionLog boot = cpe.run_session({});
    CHECK(boot.final_status == 204);
    const RunResult rebooted = reboot.get();
    CHECK_MESSAGE(rebooted.exit_code == 0, rebooted.err, rebooted.out);
    CHECK(rebooted.out.find("done") != std::string::npos);

    const RunResult got = run_woken(server, cpe, 1,
                                    {"device", "params", "get", "acme-ant-r1",
                                     "Device.DeviceInfo.SoftwareVersion", "--wait", "20"});
    CHECK_MESSAGE(got.exit_code == 0, got.err);
    CHECK(got.out.find("6.42rc49") != std::string::npos);
    CHECK(cpe.woken_sessions()[1].rpcs == std::vector<std::string>{"GetParameterValues"});

    const RunResult set =
        run_woken(server, cpe, 2,
                  {"device", "params", "set", "acme-ant-r1",
                   "Device.ManagementServer.PeriodicInformInterval=600", "--wait", "20"});
    CHECK_MESSAGE(set.exit_code == 0, set.err);
    CHECK(cpe.parameters().at("Device.ManagementServer.PeriodicInformInterval") == "600");

    const RunResult pushed =
        run_woken(server, cpe, 3, {"device", "push-config", "acme-ant-r1", "--wait", "20"});
    CHECK_MESSAGE(pushed.exit_code == 0, pushed.err);
    const SessionLog push_session = cpe.woken_sessions()[3];
    CHECK(push_session.rpcs == std::vector<std::string>{"Download"});
    REQUIRE(push_session.fetched.size() == 1);
    CHECK(push_session.fetched[0].find("/interface") != std::string::npos);

    const RunResult uploaded =
        run_woken(server, cpe, 4, {"device", "upload", "acme-ant-r1", "--wait", "20"});
    CHECK_MESSAGE(uploaded.exit_code == 0, uploaded.err);
    auto files = server.store().uploads(kPendingSerial);
    REQUIRE(files.ok());
    CHECK(files->size() == 1);

    // 9005 Invalid parameter name is no fault worth a retry: final at once.
    cpe.config().faults["GetParameterValues"] = {9005, "Invalid parameter name"};
    const RunResult faulted = run_woken(
        server, cpe, 5,
        {"device", "params", "get", "acme-ant-r1", "Device.No.Such.Thing", "--wait", "20"});
    CHECK(faulted.exit_code == 1);
    CHECK(faulted.out.find("9005") != std::string::npos);

    const RunResult tasks = run_cli({"device", "tasks", "acme-ant-r1"}, env);
    REQUIRE_MESSAGE(tasks.exit_code == 0, tasks.err);
    for (const char* kind :
         {"Reboot", "GetParameterValues", "SetParameterValues", "Download", "Upload"}) {
      CHECK_MESSAGE(tasks.out.find(kind) != std::string::npos, kind);
    }
    CHECK(tasks.out.find("fault") != std::string::npos);

    const std::string metrics = metrics_of(server);
    CHECK(metrics.find("vpnaas_acs_sessions_total{outcome=\"done\"}") != std::string::npos);
    CHECK(metrics.find("vpnaas_acs_informs_total{event=\"6 CONNECTION REQUEST\"} 6") !=
          std::string::npos);
    CHECK(metrics.find("vpnaas_acs_informs_total{event=\"1 BOOT\"} 2") != std::string::npos);
    CHECK(metrics.find("vpnaas_acs_rpcs_sent_total{kind=\"Reboot\"} 1") != std::string::npos);
    CHECK(metrics.find("vpnaas_acs_rpcs_sent_total{kind=\"Download\"} 1") != std::string::npos);
    CHECK(metrics.find("vpnaas_acs_session_duration_seconds_count 9") != std::string::npos);
    CHECK(metrics.find("vpnaas_acs_connection_requests_total{outcome=\"accepted\"} 6") !=
          std::string::npos);
    CHECK(metrics.find("vpnaas_acs_tasks{state=\"fault\"} 1") != std::string::npos);
  }

  SUBCASE("a wrong connection-request password is refused and the device marked unreachable") {
    cpe.set_connection_request_password("not-what-the-acs-set");
    const RunResult queued = run_cli(
        {"device", "params", "get", "acme-ant-r1", "Device.DeviceInfo.SoftwareVersion"}, env);
    REQUIRE_MESSAGE(queued.exit_code == 0, queued.err);
    bool unreachable = false;
    for (int i = 0; i < 100 && !unreachable; ++i) {
      unreachable = device_json(server, "acme-ant-r1")["unreachable"] == true;
      if (!unreachable) {
        std::this_thread::sleep_for(100ms);
      }
    }
    CHECK(unreachable);
    CHECK(cpe.connection_requests_refused() >= 1);
    CHECK(cpe.connection_requests_accepted() == 0);
    CHECK(cpe.woken_sessions().empty());
    CHECK(server.wait_for_log("outcome=auth-refused"));
  }
}

TEST_CASE("device reject forgets a CPE, which is pending again when it next calls in") {
  AcsProcess server;
  auto config = routeros_cpe(server, kPendingSerial);
  if (!config) {
    MESSAGE("skipped: ../shared/data/cwmp is not here");
    return;
  }
  const auto env = cli_env(server);
  CpeSimulator cpe(*config);
  accept_cpe(server, cpe, "acme-ant-r1");
  REQUIRE(cpe.run_session().connection_request_login_set);

  const RunResult rejected = run_cli({"device", "reject", kPendingSerial}, env);
  REQUIRE_MESSAGE(rejected.exit_code == 0, rejected.err);
  CHECK(rejected.out.find("forgotten, with 1 task(s)") != std::string::npos);
  const RunResult between = run_cli({"device", "list"}, env);
  CHECK(between.exit_code == 0);
  CHECK(between.out.find(kPendingSerial) == std::string::npos);

  // It still authenticates with its derived password: recorded as a new CPE.
  const SessionLog again = cpe.run_session();
  REQUIRE_MESSAGE(again.final_status == 204, again.error);
  CHECK_FALSE(again.connection_request_login_set);
  const auto shown = device_json(server, kPendingSerial);
  CHECK(shown["binding"] == "pending");
  CHECK(shown["name"].is_null());
  CHECK(run_cli({"device", "show", "acme-ant-r1"}, env).exit_code == 2);

  // A serial the inventory binds is refused, with what to change.
  CpeSimulator bound(*routeros_cpe(server, kInventorySerial));
  REQUIRE(bound.run_session({{"1 BOOT", ""}}).final_status == 204);
  const RunResult refused = run_cli({"device", "reject", kInventorySerial}, env);
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("bound to device dc1-r1 by the inventory") != std::string::npos);
  CHECK(refused.err.find("remove `serial: 9A1B2C3D4E5F` from device dc1-r1") != std::string::npos);
  CHECK(device_json(server, "dc1-r1")["binding"] == "accepted");
}

TEST_CASE("with no CPE answering, --wait 2 exits 5 and the task stays queued") {
  AcsProcess server;
  auto config = routeros_cpe(server, kInventorySerial);
  if (!config) {
    MESSAGE("skipped: ../shared/data/cwmp is not here");
    return;
  }
  const auto env = cli_env(server);
  {
    CpeSimulator cpe(*config);
    cpe.listen_for_connection_requests();
    const SessionLog session = cpe.run_session({{"1 BOOT", ""}});
    REQUIRE_MESSAGE(session.final_status == 204, session.error);
    // Bound by the inventory: the login is set in the very first session.
    CHECK(session.connection_request_login_set);
  } // the simulator and its connection-request listener are gone

  const RunResult timed_out =
      run_cli({"device", "reboot", "dc1-r1", "--via", "cwmp", "--yes", "--wait", "2"}, env);
  CHECK(timed_out.exit_code == 5);
  CHECK(timed_out.err.find("stays queued") != std::string::npos);

  const RunResult tasks = run_cli({"device", "tasks", "dc1-r1", "--format", "json"}, env);
  REQUIRE_MESSAGE(tasks.exit_code == 0, tasks.err);
  bool reboot_queued = false;
  const auto listed = nlohmann::json::parse(tasks.out);
  for (const auto& t : listed["tasks"]) {
    reboot_queued = reboot_queued || (t["kind"] == "Reboot" && t["state"] == "queued");
  }
  CHECK_MESSAGE(reboot_queued, tasks.out);
  CHECK(server.wait_for_log("outcome=unreachable"));
  CHECK(device_json(server, "dc1-r1")["unreachable"] == true);
}

TEST_CASE("the management API over TCP needs the token of acs credentials --management-token") {
  AcsProcess server({"--management-listen", "127.0.0.1:0"});
  std::smatch m;
  const std::string log = server.log();
  REQUIRE(std::regex_search(log, m, std::regex("management API on [^ ]+ and (http://[^ ]+) ")));
  const std::string url = m[1];

  const RunResult token = run_cli({"acs", "credentials", "--management-token"},
                                  {{"VPNAAS_MASTER_KEY", kTestMasterKey}});
  REQUIRE_MESSAGE(token.exit_code == 0, token.err);
  std::string value = token.out;
  while (!value.empty() && value.back() == '\n') {
    value.pop_back();
  }
  CHECK(value.size() == 64);

  const RunResult refused = run_cli({"device", "list", "--acs", url}, {});
  CHECK(refused.exit_code != 0);
  CHECK(refused.out.find(value) == std::string::npos);
  CHECK(refused.err.find(value) == std::string::npos);
  const RunResult wrong =
      run_cli({"device", "list", "--acs", url}, {{"VPNAAS_ACS_TOKEN", std::string(64, '0')}});
  CHECK(wrong.exit_code != 0);
  const RunResult listed =
      run_cli({"device", "list", "--acs", url, "--format", "json"}, {{"VPNAAS_ACS_TOKEN", value}});
  CHECK_MESSAGE(listed.exit_code == 0, listed.err);
  CHECK(nlohmann::json::parse(listed.out)["devices"].is_array());
}

// POSTs `body` to the management API over its socket, as curl would.
nlohmann::json api_post(const AcsProcess& server, const std::string& path,
                        const nlohmann::json& body) {
  const RunResult posted =
      run({"curl", "-sS", "--unix-socket", socket_of(server).string(), "-X", "POST", "-H",
           "Content-Type: application/json", "-d", body.dump(), "http://acs" + path});
  REQUIRE_MESSAGE(posted.exit_code == 0, posted.err);
  return nlohmann::json::parse(posted.out, nullptr, false);
}

TEST_CASE("every CWMP RPC queued through the management API runs in one session and records "
          "its response") {
  AcsProcess server;
  auto config = routeros_cpe(server, kInventorySerial);
  if (!config) {
    MESSAGE("skipped: ../shared/data/cwmp is not here");
    return;
  }
  CpeSimulator cpe(*config);
  REQUIRE(cpe.run_session({{"1 BOOT", ""}}).final_status == 204);

  // Queued in this order, run in this order (the per-device FIFO): the
  // attributes are read after they were set, and the second AddObject gets
  // the next instance.
  const std::vector<nlohmann::json> asks{
      {{"kind", "get-rpc-methods"}},
      {{"kind", "get-names"}, {"path", "Device.DeviceInfo."}, {"next_level", false}},
      {{"kind", "set-attributes"},
       {"attributes", {{{"name", "Device.DeviceInfo.SoftwareVersion"}, {"notification", 2}}}}},
      {{"kind", "get-attributes"}, {"paths", {"Device.DeviceInfo.SoftwareVersion"}}},
      {{"kind", "add-object"}, {"object", "Device.IP.Interface."}},
      {{"kind", "add-object"}, {"object", "Device.IP.Interface."}},
      {{"kind", "delete-object"}, {"object", "Device.IP.Interface.1."}},
  };
  std::vector<long long> ids;
  for (const auto& ask : asks) {
    const auto queued = api_post(server, "/v1/devices/dc1-r1/tasks", ask);
    REQUIRE_MESSAGE(queued.contains("task"), queued.dump());
    ids.push_back(queued["task"]["id"].get<long long>());
  }
  // Refused before anything is queued: a notification TR-069 does not have,
  // an object path that is not an object, an unknown kind.
  for (const auto& bad :
       {nlohmann::json{{"kind", "set-attributes"},
                       {"attributes", {{{"name", "Device.X"}, {"notification", 7}}}}},
        nlohmann::json{{"kind", "add-object"}, {"object", "Device.IP.Interface"}},
        nlohmann::json{{"kind", "get-names"}}, nlohmann::json{{"kind", "summon"}}}) {
    const auto refused = api_post(server, "/v1/devices/dc1-r1/tasks", bad);
    CHECK_MESSAGE(refused["error"]["code"] == "usage", refused.dump());
  }

  const SessionLog session = cpe.run_session();
  REQUIRE_MESSAGE(session.final_status == 204, session.error);

  std::vector<nlohmann::json> tasks;
  for (const long long id : ids) {
    const RunResult got = run({"curl", "-sS", "--unix-socket", socket_of(server).string(),
                               "http://acs/v1/tasks/" + std::to_string(id)});
    REQUIRE_MESSAGE(got.exit_code == 0, got.err);
    tasks.push_back(nlohmann::json::parse(got.out)["task"]);
    CAPTURE(tasks.back().dump());
    CHECK(tasks.back()["state"] == "done");
  }
  REQUIRE(tasks.size() == 7);
  CHECK(tasks[0]["kind"] == "GetRPCMethods");
  CHECK(tasks[0]["result"]["methods"].size() >= 5);
  CHECK(tasks[1]["kind"] == "GetParameterNames");
  CHECK(tasks[1]["result"]["parameters"].size() >= 2);
  CHECK(tasks[2]["kind"] == "SetParameterAttributes");
  CHECK(tasks[3]["kind"] == "GetParameterAttributes");
  REQUIRE(tasks[3]["result"]["parameters"].size() == 1);
  CHECK(tasks[3]["result"]["parameters"][0]["notification"] == 2);
  CHECK(tasks[4]["kind"] == "AddObject");
  CHECK(tasks[4]["result"]["instance"] == 1);
  CHECK(tasks[5]["result"]["instance"] == 2);
  CHECK(tasks[6]["kind"] == "DeleteObject");
  CHECK(tasks[6]["result"]["status"] == 0);
}

} // namespace
} // namespace vpnaas::test
