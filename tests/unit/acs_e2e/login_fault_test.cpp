// A CPE that faults the connection-request login (the SetParameterValues of
// ManagementServer.ConnectionRequestUsername/Password): the ACS follows the
// retry policy's back-off, records the failure on the device and does not
// send the login in every session, until an engineer accepts the device
// again. Real server process, the CPE simulator, the built CLI.

#include <doctest/doctest.h>

#include <csignal>
#include <nlohmann/json.hpp>

#include "support/cwmp/acs_process.hpp"
#include "support/cwmp/cpe_simulator.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"

namespace vpnaas::test {
namespace {

constexpr const char* kLoginSerial = "HCLOGIN0001";

// Runs `sessions` periodic sessions; returns in how many the login was sent.
int sessions_with_login(CpeSimulator& cpe, int sessions) {
  int sent = 0;
  for (int i = 0; i < sessions; ++i) {
    const SessionLog session = cpe.run_session();
    REQUIRE_MESSAGE(session.final_status == 204, session.error);
    sent += session.connection_request_login_sent ? 1 : 0;
  }
  return sent;
}

} // namespace

TEST_CASE("a connection-request login the CPE faults is not sent in every session") {
  AcsProcess server;
  auto config = routeros_cpe(server, kLoginSerial);
  if (!config) {
    MESSAGE("skipped: ../shared/data/cwmp is not here");
    return;
  }
  const auto env = cli_env(server);
  CpeSimulator cpe(*config);
  accept_cpe(server, cpe, "acme-ant-r1");

  SUBCASE("a fault worth a retry backs off") {
    // 9002 internal error: retried after 30 s, so not in the next sessions.
    cpe.config().connection_request_login_fault = {9002, "Internal error"};
    CHECK(sessions_with_login(cpe, 4) == 1);
    const RunResult shown = run_cli({"device", "show", "acme-ant-r1", "--format", "json"}, env);
    REQUIRE_MESSAGE(shown.exit_code == 0, shown.err);
    const auto login = nlohmann::json::parse(shown.out)["device"]["connection_request_login"];
    CHECK(login["state"] == "queued");
    CHECK(login["fault"]["code"] == 9002);
    CHECK(login["attempts"] == 1);
  }

  SUBCASE("a fault not worth a retry ends it, recorded on the device, until accepted again") {
    // 9008 Attempt to set a non-writable parameter: it would fault again.
    cpe.config().connection_request_login_fault = {9008, "Attempt to set a non-writable parameter"};
    CHECK(sessions_with_login(cpe, 4) == 1);

    const RunResult shown = run_cli({"device", "show", "acme-ant-r1"}, env);
    REQUIRE_MESSAGE(shown.exit_code == 0, shown.err);
    CHECK(shown.out.find("connection_request_login: failed (CWMP fault 9008: Attempt to set a "
                         "non-writable parameter)") != std::string::npos);
    CHECK(shown.err.find("the connection-request login failed") != std::string::npos);
    CHECK(shown.err.find("device accept") != std::string::npos);

    // The engineer fixed the CPE and asks again: the next session sends it, once.
    cpe.config().connection_request_login_fault.reset();
    REQUIRE(run_cli({"device", "accept", kLoginSerial, "--device", "acme-ant-r1"}, env).exit_code ==
            0);
    const SessionLog retried = cpe.run_session();
    CHECK(retried.connection_request_login_set);
    CHECK(sessions_with_login(cpe, 2) == 0);
    const RunResult after = run_cli({"device", "show", "acme-ant-r1", "--format", "json"}, env);
    REQUIRE_MESSAGE(after.exit_code == 0, after.err);
    CHECK(nlohmann::json::parse(after.out)["device"]["connection_request_login"]["state"] ==
          "done");
  }
}

TEST_CASE("a failed connection-request login is queued again after the inventory reloads") {
  AcsProcess server;
  auto config = routeros_cpe(server, "9A1B2C3D4E5F"); // dc1-r1, bound by the inventory
  if (!config) {
    MESSAGE("skipped: ../shared/data/cwmp is not here");
    return;
  }
  config->connection_request_login_fault = {9007, "Invalid parameter value"};
  CpeSimulator cpe(*config);
  CHECK(sessions_with_login(cpe, 3) == 1);
  server.send(SIGHUP);
  REQUIRE(server.wait_for_log(" reloaded, "));
  CHECK(sessions_with_login(cpe, 3) == 1);
}

} // namespace vpnaas::test
