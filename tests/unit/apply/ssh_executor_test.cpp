// The SSH executor: apply's thread pool behind the transport-neutral task
// model, against fake routers behind real sshd.

#include <vpnaas/delivery/ssh_executor.hpp>

#include <doctest/doctest.h>

#include <map>

#include "fixture.hpp"
#include "support/sshd.hpp"

using namespace vpnaas;
using delivery::TaskKind;
using delivery::TaskState;

TEST_CASE("the SSH executor imports apply-script tasks and keeps apply's own results") {
  test::ApplyFixture fixture(2);
  std::map<std::string, transport::ssh::Endpoint> endpoints;
  for (const auto& target : fixture.targets()) {
    endpoints.emplace(target.device, target.ssh);
  }
  fixture.routers[1]->fail_import_at("add name=gre-b", "bad command name gre");
  delivery::SshExecutor executor(
      [&](const std::string& device) -> std::optional<transport::ssh::Endpoint> {
        auto it = endpoints.find(device);
        return it == endpoints.end() ? std::nullopt : std::optional(it->second);
      },
      fixture.options());
  const std::vector<delivery::Task> tasks{
      {"r1", TaskKind::apply_script, test::kScript, "3f2a9c1d"},
      {"nowhere", TaskKind::apply_script, test::kScript, "3f2a9c1d"},
      {"r2", TaskKind::apply_script, test::kScript, "3f2a9c1d"},
      {"r1", TaskKind::export_config, "", std::nullopt},
  };
  const auto results = executor.execute(tasks);
  REQUIRE(results.size() == 4);

  CHECK(results[0].device == "r1");
  CHECK(results[0].state == TaskState::done);
  CHECK(results[0].via == delivery::Transport::ssh);
  CHECK(results[0].evidence == "RouterOS's success line and the script's end marker");
  CHECK(fixture.routers[0]->imported() == std::vector<std::string>{test::uploaded()});

  CHECK(results[1].state == TaskState::failed);
  REQUIRE(results[1].error.has_value());
  CHECK(results[1].error->code == ErrorCode::unknown_name);

  CHECK(results[2].state == TaskState::failed);
  CHECK(results[2].message.find("bad command name gre") != std::string::npos);

  // Only apply scripts are executor tasks over SSH: nothing is sent for the export.
  CHECK(results[3].state == TaskState::failed);
  REQUIRE(results[3].error.has_value());
  CHECK(results[3].error->code == ErrorCode::internal);

  const auto& details = executor.apply_results();
  REQUIRE(details.size() == 4);
  CHECK(details[0].ok);
  CHECK(details[0].endpoint == results[0].endpoint);
  CHECK_FALSE(details[2].ok);
  CHECK(details[2].failed_line == 3);
}
