#include <vpnaas/apply/apply.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "fixture.hpp"
#include "support/sshd.hpp"

using namespace vpnaas;
using apply::Stage;

using test::kRunId;
using test::kScript;
using Fixture = test::ApplyFixture;

namespace {

const std::string kHintTail =
    ". This run applied revision 3f2a9c1d (run 20250131T101500Z-3f2a9c1-7b0e). To apply it "
    "again: vpnaas apply --via ssh --device ";

} // namespace

TEST_CASE("every router gets its script, a backup, and no leftover file") {
  Fixture fixture(3);
  std::map<std::string, std::vector<Stage>> seen;
  auto options = fixture.options();
  options.on_progress = [&](const apply::Progress& p) {
    seen[p.target->device].push_back(p.stage);
  };

  const auto results = apply::apply(fixture.targets(), options);
  REQUIRE(results.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& result = results[i];
    CAPTURE(result.message);
    CHECK(result.device == fmt::format("r{}", i + 1));
    CHECK(result.ok);
    CHECK(result.outcome == apply::Outcome::applied);
    CHECK(result.failed_stage == Stage::done);
    CHECK(result.message == "imported 3 lines");
    CHECK(result.attempts == 1);
    CHECK(result.backup.parent_path() == fixture.backups.path() / result.device);
    CHECK(test::read_file(result.backup) == test::read_file(test::data_path("ssh/export.rsc")));
    CHECK(result.remote_backup == "vpnaas-backup-" + kRunId + ".rsc");
    // What was imported is the script plus the statement that proves it ran to its end.
    CHECK(fixture.routers[i]->imported() == std::vector<std::string>{test::uploaded()});
    CHECK(fixture.routers[i]->file_names() == std::vector<std::string>{result.remote_backup});
    CHECK(fixture.routers[i]->lock_holder().empty());
  }
  CHECK(seen["r1"] == std::vector<Stage>{Stage::queued, Stage::connect, Stage::host_key,
                                         Stage::authenticate, Stage::lock, Stage::backup,
                                         Stage::upload, Stage::import, Stage::cleanup,
                                         Stage::done});
}

TEST_CASE("a rejected script fails its router only and names the line") {
  Fixture fixture(3);
  fixture.routers[1]->fail_import_at("gre-b", "failure: already have interface with such name");

  const auto results = apply::apply(fixture.targets(), fixture.options());
  CHECK(results[0].ok);
  CHECK(results[2].ok);
  const auto& failed = results[1];
  CHECK_FALSE(failed.ok);
  CHECK(failed.outcome == apply::Outcome::failed);
  CHECK(failed.failed_stage == Stage::import);
  CHECK(failed.failed_line == 3);
  CHECK(failed.message == "RouterOS rejected line 3 (`add name=gre-b remote-address=192.0.2.2`): "
                          "Script Error: failure: already have interface with such name (line 3 "
                          "column 1)");
  CHECK(failed.hint ==
        fmt::format("the router may be partly changed: lines before 3 were applied. The "
                    "configuration from before this run is saved in {} and on the router as "
                    "vpnaas-backup-{}.rsc{}r2",
                    failed.backup.string(), kRunId, kHintTail));
  // The script holds pre-shared keys: it is removed even after a failure.
  CHECK(test::scripts_left(*fixture.routers[1]).empty());
  CHECK(fixture.routers[1]->lock_holder().empty());
}

TEST_CASE("only connection failures are retried") {
  Fixture fixture(1);
  const std::vector<apply::Target> targets{
      {"unreachable", {"127.0.0.1", test::closed_port(), test::current_user(), {}}, kScript},
      {"wrong-key", fixture.routers[0]->target(), kScript}};
  auto options = fixture.options();
  options.connect_attempts = 3;
  options.ssh.identity = fixture.keys.wrong_identity();

  const auto results = apply::apply(targets, options);
  CHECK(results[0].failed_stage == Stage::connect);
  CHECK(results[0].attempts == 3);
  CHECK(results[0].message.ends_with(" (gave up after 3 attempts)"));
  CHECK(results[0].duration >= std::chrono::milliseconds(20 + 40));
  CHECK(results[1].failed_stage == Stage::authenticate);
  CHECK(results[1].attempts == 1);
}

TEST_CASE("a connection dropped during the upload fails that router only") {
  Fixture fixture(2);
  fixture.routers[0]->drop_uploads();
  auto targets = fixture.targets();
  targets[0].script = std::string(65'536, '#');

  const auto results = apply::apply(targets, fixture.options());
  CHECK_FALSE(results[0].ok);
  CHECK(results[0].outcome == apply::Outcome::failed);
  CHECK(results[0].failed_stage == Stage::upload);
  CHECK(results[0].message.starts_with(
      fmt::format("upload of vpnaas-apply-{}.rsc broke off after ", kRunId)));
  CHECK(results[0].hint ==
        fmt::format("nothing was changed on the router. The configuration from before this run "
                    "is saved in {} and on the router as vpnaas-backup-{}.rsc{}r1",
                    results[0].backup.string(), kRunId, kHintTail));
  CHECK(fixture.routers[0]->imported().empty());
  // The part that arrived is removed over a new connection, and the lock released.
  CHECK(test::scripts_left(*fixture.routers[0]).empty());
  CHECK(fixture.routers[0]->lock_holder().empty());
  CHECK(results[1].ok);
}

TEST_CASE("a dry run contacts no router") {
  Fixture fixture(1);
  auto options = fixture.options();
  options.dry_run = true;

  const auto results = apply::apply(fixture.targets(), options);
  REQUIRE(results.size() == 1);
  CHECK(results[0].ok);
  CHECK(results[0].dry_run);
  CHECK(results[0].message ==
        fmt::format("would save a backup, upload 3 lines (95 bytes) as vpnaas-apply-{}.rsc and "
                    "import them; nothing was contacted",
                    kRunId));
  CHECK(fixture.routers[0]->commands().empty());
}

TEST_CASE("20 routers are applied in parallel") {
  Fixture fixture(20);
  fixture.routers[6]->fail_import_at("gre-a", "bad command name gre-a");
  std::size_t in_flight = 0;
  std::size_t most = 0;
  auto options = fixture.options();
  options.parallel = 20;
  options.on_progress = [&](const apply::Progress& p) {
    if (p.stage == Stage::connect && p.attempt == 1) {
      most = std::max(most, ++in_flight);
    } else if (p.stage == Stage::done) {
      --in_flight;
    }
  };

  const auto results = apply::apply(fixture.targets(), options);
  REQUIRE(results.size() == 20);
  for (std::size_t i = 0; i < 20; ++i) {
    CAPTURE(i);
    CHECK(results[i].ok == (i != 6));
    CHECK(fixture.routers[i]->imported().size() == (i != 6 ? 1U : 0U));
  }
  CHECK(results[6].failed_line == 2);
  CHECK(most > 1);
}
