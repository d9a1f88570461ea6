// A smoke test of tests/tools/cpe_load, the load generator of
// scripts/bench-acs.sh: 5 CPEs for 2 s against the real server, with Digest,
// complete sessions and the queued GetParameterValues answered. Not a
// benchmark: it asserts that the tool works, not how fast.

#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "support/cwmp/acs_process.hpp"
#include "support/cwmp/load_tool.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"

namespace vpnaas::test {
namespace {

long field(const std::string& line, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(line, m, std::regex(" " + name + "=([0-9]+)"))) {
    return -1;
  }
  return std::stol(m[1]);
}

} // namespace

TEST_CASE("cpe_load runs 5 CPEs for 2 s against acs serve and completes sessions") {
  AcsProcess server;
  auto inform = shared_path("data/cwmp/mikrotik-inform-haplite-6.42rc49.xml");
  if (!inform) {
    return;
  }
  const RunResult prepared = run(
      {cpe_load_path(), "prepare", "--data", (server.dir() / "data").string(), "--devices", "5"});
  REQUIRE_MESSAGE(prepared.exit_code == 0, prepared.err);
  const RunResult ran =
      run({cpe_load_path(), "run", "--url", server.url() + "/", "--inform", inform->string(),
           "--devices", "5", "--duration", "2", "--data", (server.dir() / "data").string()},
          {{"VPNAAS_MASTER_KEY", kTestMasterKey}});
  INFO("cpe_load: ", ran.out, ran.err, "\nserver log:\n", server.log());
  REQUIRE(ran.exit_code == 0);
  CHECK(field(ran.out, "sessions") > 0);
  CHECK(field(ran.out, "errors") == 0);
  // Each CPE is challenged at most once, then reuses its nonce with the next nc.
  CHECK(field(ran.out, "challenges") >= 1);
  CHECK(field(ran.out, "challenges") <= 5);
  // Every session found the one task queued for it, and only that one.
  CHECK(field(ran.out, "no_task") == 0);
  CHECK(server.log().find("rpcs=1 faults=0 outcome=done") != std::string::npos);
}

} // namespace vpnaas::test
