// `vpnaas device export --via cwmp`: each export prints the file its own
// Upload task produced, even when another export's file arrived after it.
// Real server process, the CPE simulator, the built CLI.

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <thread>

#include "support/cwmp/acs_process.hpp"
#include "support/cwmp/cpe_simulator.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"

namespace vpnaas::test {
namespace {

using namespace std::chrono_literals;

// The device's Upload tasks, oldest first, once there are `count` of them.
std::vector<acs::Task> uploads_queued(AcsProcess& server, std::size_t count) {
  std::vector<acs::Task> uploads;
  for (int i = 0; i < 200; ++i) {
    uploads.clear();
    auto tasks = server.store().tasks(kInventorySerial, 100);
    REQUIRE(tasks.ok());
    for (const auto& t : *tasks) {
      if (t.kind == acs::TaskKind::upload) {
        uploads.push_back(t);
      }
    }
    if (uploads.size() >= count) {
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  return uploads;
}

} // namespace

TEST_CASE("two exports over CWMP queued one after the other each print their own file") {
  AcsProcess server;
  auto config = routeros_cpe(server, kInventorySerial);
  if (!config) {
    MESSAGE("skipped: ../shared/data/cwmp is not here");
    return;
  }
  config->upload_content_names_key = true;
  CpeSimulator cpe(*config);
  REQUIRE(cpe.run_session({{"1 BOOT", ""}}).final_status == 204);
  const auto env = cli_env(server);
  const std::vector<std::string> args{"device", "export", "dc1-r1", "--via",
                                      "cwmp",   "--wait", "30"};

  auto first = std::async(std::launch::async, [&] { return run_cli(args, env); });
  REQUIRE(uploads_queued(server, 1).size() == 1);
  auto second = std::async(std::launch::async, [&] { return run_cli(args, env); });
  const auto uploads = uploads_queued(server, 2);
  REQUIRE(uploads.size() == 2);

  // One session takes both Uploads: the second file arrives right after the first.
  const SessionLog session = cpe.run_session();
  REQUIRE_MESSAGE(session.final_status == 204, session.error);
  CHECK(session.rpcs == std::vector<std::string>{"Upload", "Upload"});

  const RunResult a = first.get();
  const RunResult b = second.get();
  REQUIRE_MESSAGE(a.exit_code == 0, a.err);
  REQUIRE_MESSAGE(b.exit_code == 0, b.err);
  CHECK(a.out == config->upload_content + "# upload " + uploads[0].command_key + "\n");
  CHECK(b.out == config->upload_content + "# upload " + uploads[1].command_key + "\n");
}

} // namespace vpnaas::test
