// What apply reports when a router misbehaves during the import, and the
// per-run names, backup retention and router lock that keep runs apart.
#include <vpnaas/apply/apply.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "fixture.hpp"
#include "support/sshd.hpp"

using namespace vpnaas;
using apply::Outcome;
using apply::Stage;
using test::kRunId;
using Fixture = test::ApplyFixture;

namespace {

// The hint every failed or unknown import of r1 ends with.
std::string recovery_tail(const apply::DeviceResult& r) {
  return fmt::format(". The configuration from before this run is saved in {} and on the router "
                     "as vpnaas-backup-{}.rsc. This run applied revision 3f2a9c1d (run {}). To "
                     "apply it again: vpnaas apply --via ssh --device r1",
                     r.backup.string(), kRunId, kRunId);
}

const std::string kUnknownState =
    "the router may be partly changed: the import may have stopped anywhere";

// A script that changes nothing, so the fake router accepts it run after run.
const std::string kHarmless = ":put \"hello\"\n";

std::size_t line_of(const std::string& log, const std::string& text) {
  const auto at = log.find(text);
  REQUIRE_MESSAGE(at != std::string::npos, text);
  return static_cast<std::size_t>(
      std::count(log.begin(), log.begin() + static_cast<long>(at), '\n'));
}

} // namespace

TEST_CASE("an import cut off without the success line has an unknown outcome") {
  Fixture fixture(1);
  fixture.routers[0]->cut_off_imports(2);

  const auto results = apply::apply(fixture.targets(), fixture.options());
  REQUIRE(results.size() == 1);
  const auto& r = results[0];
  CHECK_FALSE(r.ok);
  CHECK(r.outcome == Outcome::unknown);
  CHECK(r.failed_stage == Stage::import);
  CHECK(r.message ==
        fmt::format("outcome unknown: the import of vpnaas-apply-{}.rsc did not prove success: "
                    "the output ends without RouterOS's success line (\"Script file loaded and "
                    "executed successfully\")",
                    kRunId));
  CHECK(r.hint == kUnknownState + recovery_tail(r));
  CHECK(test::scripts_left(*fixture.routers[0]).empty());
  CHECK(fixture.routers[0]->lock_holder().empty());
}

TEST_CASE("an interrupted import has an unknown outcome") {
  Fixture fixture(1);
  fixture.routers[0]->interrupt_imports();

  const auto r = apply::apply(fixture.targets(), fixture.options()).at(0);
  CHECK(r.outcome == Outcome::unknown);
  CHECK(r.message == fmt::format("outcome unknown: the import of vpnaas-apply-{}.rsc did not "
                                 "prove success: RouterOS printed `interrupted`",
                                 kRunId));
  CHECK(r.hint == kUnknownState + recovery_tail(r));
  CHECK(test::scripts_left(*fixture.routers[0]).empty());
}

TEST_CASE("a connection dropped during the import has an unknown outcome") {
  Fixture fixture(1);
  fixture.routers[0]->drop_imports();

  const auto r = apply::apply(fixture.targets(), fixture.options()).at(0);
  CHECK(r.outcome == Outcome::unknown);
  CHECK(r.failed_stage == Stage::import);
  CHECK(r.message.starts_with(fmt::format("outcome unknown: connection lost while running command "
                                          "`/import file-name=\"vpnaas-apply-{}",
                                          kRunId.substr(0, 10))));
  CHECK(r.message.ends_with(" (the connection broke during the import)"));
  CHECK(r.hint == kUnknownState + recovery_tail(r));
  // Removed and unlocked over a second connection.
  CHECK(test::scripts_left(*fixture.routers[0]).empty());
  CHECK(fixture.routers[0]->lock_holder().empty());
}

TEST_CASE("an import that outlives the command timeout keeps the lock") {
  Fixture fixture(1);
  // Far apart, so that a slow test machine does not time out the other commands.
  fixture.routers[0]->delay_imports(8);
  auto options = fixture.options();
  options.ssh.command_timeout = std::chrono::seconds(2);

  const auto r = apply::apply(fixture.targets(), options).at(0);
  CHECK(r.outcome == Outcome::unknown);
  CHECK(r.message.ends_with(
      "did not finish within 2s; RouterOS goes on importing after vpnaas stops waiting"));
  CHECK(r.hint == kUnknownState + recovery_tail(r) +
                      ". The router's apply lock stays until it expires (900s after it was "
                      "taken), so that no other apply starts while this import may still run");
  CHECK(test::scripts_left(*fixture.routers[0]).empty());
  CHECK(fixture.routers[0]->lock_holder() == kRunId);
}

TEST_CASE("a script that cannot be removed is named, whatever the import did") {
  Fixture fixture(0);
  fixture.routers.push_back(
      std::make_unique<test::FakeRouter>(fixture.keys, test::FakeRouterOptions{.sftp = false}));
  fixture.routers[0]->fail_removals("failure: file is busy");
  const std::string name = fmt::format("vpnaas-apply-{}.rsc", kRunId);

  const auto applied = apply::apply(fixture.targets(kHarmless), fixture.options()).at(0);
  CHECK_FALSE(applied.ok);
  CHECK(applied.outcome == Outcome::applied);
  CHECK(applied.failed_stage == Stage::cleanup);
  CHECK(applied.message == fmt::format("imported, but {} could not be removed: cannot remove {} "
                                       "on {}: failure: file is busy",
                                       name, name, applied.endpoint));
  CHECK(applied.hint == fmt::format("it holds the router's pre-shared keys: remove it on the "
                                    "router (/file remove \"{}\")",
                                    name));

  fixture.routers[0]->cut_off_imports(1);
  auto options = fixture.options();
  options.run_id = "20250131T101501Z-3f2a9c1-7b0f";
  const auto unknown = apply::apply(fixture.targets(kHarmless), options).at(0);
  CHECK(unknown.outcome == Outcome::unknown);
  CHECK(unknown.message.ends_with(
      "; and vpnaas-apply-20250131T101501Z-3f2a9c1-7b0f.rsc (it holds the router's pre-shared "
      "keys) could not be removed: cannot remove vpnaas-apply-20250131T101501Z-3f2a9c1-7b0f.rsc "
      "on " +
      unknown.endpoint + ": failure: file is busy"));
  CHECK(unknown.hint.ends_with(
      ". Remove vpnaas-apply-20250131T101501Z-3f2a9c1-7b0f.rsc on the router: /file remove "
      "\"vpnaas-apply-20250131T101501Z-3f2a9c1-7b0f.rsc\""));
}

TEST_CASE("a failed backup stops the router before upload and import") {
  Fixture fixture(1);
  fixture.routers[0]->fail_backups("failure: not enough disk space");

  const auto r = apply::apply(fixture.targets(), fixture.options()).at(0);
  CHECK_FALSE(r.ok);
  CHECK(r.outcome == Outcome::failed);
  CHECK(r.failed_stage == Stage::backup);
  CHECK(r.message == fmt::format("`/export file=\"vpnaas-backup-{}\"` failed on {}: failure: not "
                                 "enough disk space",
                                 kRunId, r.endpoint));
  CHECK(r.hint == "check free space on the device; nothing was changed");
  const std::string commands = fixture.routers[0]->commands();
  CHECK(commands.find("sftp") == std::string::npos);
  CHECK(commands.find("scp") == std::string::npos);
  CHECK(commands.find("/import") == std::string::npos);
  CHECK(test::scripts_left(*fixture.routers[0]).empty());
  CHECK(fixture.routers[0]->imported().empty());
  CHECK(fixture.routers[0]->lock_holder().empty());
}

TEST_CASE("each run keeps its own backup and a successful one prunes beyond --keep-backups") {
  Fixture fixture(1);
  auto options = fixture.options();
  options.keep_backups = 2;
  const auto targets = fixture.targets(kHarmless);
  std::vector<std::string> runs;
  for (int i = 1; i <= 4; ++i) {
    options.run_id = fmt::format("20250131T10150{}Z-3f2a9c1-000{}", i, i);
    runs.push_back(options.run_id);
    const auto r = apply::apply(targets, options).at(0);
    REQUIRE_MESSAGE(r.ok, r.message);
  }
  auto backup = [](const std::string& run) { return "vpnaas-backup-" + run + ".rsc"; };
  CHECK(fixture.routers[0]->file_names() ==
        std::vector<std::string>{backup(runs[2]), backup(runs[3])});

  // A run whose import is in doubt deletes nothing: the backups from before
  // it may be what the router must go back to.
  fixture.routers[0]->cut_off_imports(1);
  options.run_id = "20250131T101509Z-3f2a9c1-0009";
  const auto failed = apply::apply(targets, options).at(0);
  CHECK(failed.outcome == Outcome::unknown);
  CHECK(fixture.routers[0]->file_names() ==
        std::vector<std::string>{backup(runs[2]), backup(runs[3]), backup(options.run_id)});
}

TEST_CASE("a router locked by another run is waited for, then failed naming that run") {
  Fixture fixture(1);
  fixture.routers[0]->hold_lock("20250131T090000Z-aaaaaaa-1111", 600);
  auto options = fixture.options();
  options.lock_wait = std::chrono::milliseconds(1200);

  const auto r = apply::apply(fixture.targets(), options).at(0);
  CHECK_FALSE(r.ok);
  CHECK(r.outcome == Outcome::failed);
  CHECK(r.failed_stage == Stage::lock);
  CHECK(r.message == fmt::format("{} is locked by another vpnaas apply (run "
                                 "20250131T090000Z-aaaaaaa-1111); waited 1.2s",
                                 r.endpoint));
  CHECK(r.hint.starts_with("nothing was changed; apply again when that run has finished"));
  CHECK(r.duration >= std::chrono::milliseconds(1200));
  const std::string commands = fixture.routers[0]->commands();
  CHECK(commands.find("/export file=") == std::string::npos);
  CHECK(fixture.routers[0]->lock_holder() == "20250131T090000Z-aaaaaaa-1111");

  // A lock left by a run that died has expired: the router is free.
  fixture.routers[0]->hold_lock("20250131T090000Z-aaaaaaa-1111", -1);
  const auto after = apply::apply(fixture.targets(), options).at(0);
  CHECK_MESSAGE(after.ok, after.message);
}

TEST_CASE("two applies to the same router at once take turns") {
  Fixture fixture(1);
  fixture.routers[0]->delay_imports(1);
  const auto targets = fixture.targets(kHarmless);
  auto first = fixture.options();
  first.run_id = "20250131T101500Z-aaaaaaa-0001";
  auto second = fixture.options();
  second.run_id = "20250131T101500Z-bbbbbbb-0002";

  std::vector<apply::DeviceResult> a;
  std::vector<apply::DeviceResult> b;
  {
    std::jthread one([&] { a = apply::apply(targets, first); });
    std::jthread two([&] { b = apply::apply(targets, second); });
  }
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK_MESSAGE(a[0].ok, a[0].message);
  CHECK_MESSAGE(b[0].ok, b[0].message);

  // Whichever took the lock first did its backup, upload, import and
  // release before the other's backup began.
  const std::string log = fixture.routers[0]->commands();
  auto backup_of = [&](const apply::Options& o) {
    return line_of(log, "/export file=\"vpnaas-backup-" + o.run_id);
  };
  auto import_of = [&](const apply::Options& o) {
    return line_of(log, "/import file-name=\"vpnaas-apply-" + o.run_id);
  };
  auto release_of = [&](const apply::Options& o) {
    return line_of(log, "/system scheduler remove [find where name=\"vpnaas-apply-lock\" and "
                        "comment=\"" +
                            o.run_id);
  };
  const bool a_first = backup_of(first) < backup_of(second);
  const auto& early = a_first ? first : second;
  const auto& late = a_first ? second : first;
  // The later one asked for the lock while the earlier held it, and waited.
  CHECK(line_of(log, "comment=\"" + late.run_id + "\" on-event=") < release_of(early));
  CHECK(backup_of(early) < import_of(early));
  CHECK(import_of(early) < release_of(early));
  CHECK(release_of(early) < backup_of(late));
  CHECK(backup_of(late) < import_of(late));
  CHECK(test::scripts_left(*fixture.routers[0]).empty());
  CHECK(fixture.routers[0]->lock_holder().empty());
}
