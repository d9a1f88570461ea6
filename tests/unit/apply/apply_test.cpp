#include <vpnaas/apply/apply.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "support/sshd.hpp"

using namespace vpnaas;
using apply::Stage;

namespace {

const std::string kScript = "/interface gre\n"
                            "add name=gre-a remote-address=192.0.2.1\n"
                            "add name=gre-b remote-address=192.0.2.2\n";

struct Fixture {
  test::SshClientKeys keys;
  test::TempDir backups;
  std::vector<std::unique_ptr<test::FakeRouter>> routers;

  explicit Fixture(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      routers.push_back(std::make_unique<test::FakeRouter>(keys));
    }
  }

  std::vector<apply::Target> targets() const {
    std::vector<apply::Target> list;
    for (std::size_t i = 0; i < routers.size(); ++i) {
      list.push_back({fmt::format("r{}", i + 1), routers[i]->target(), kScript});
    }
    return list;
  }

  apply::Options options() const {
    apply::Options options;
    options.ssh.known_hosts = keys.known_hosts();
    options.ssh.identity = keys.identity();
    options.ssh.accept_new_host_keys = true;
    options.ssh.password_env = "VPNAAS_TEST_NO_PASSWORD";
    options.ssh.connect_timeout = std::chrono::seconds(5);
    options.ssh.command_timeout = std::chrono::seconds(20);
    options.retry_delay = std::chrono::milliseconds(20);
    options.backup_dir = backups.path();
    return options;
  }
};

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
    CHECK(result.failed_stage == Stage::done);
    CHECK(result.message == "imported 3 lines");
    CHECK(result.attempts == 1);
    CHECK(result.backup.parent_path() == fixture.backups.path() / result.device);
    CHECK(test::read_file(result.backup) == test::read_file(test::data_path("ssh/export.rsc")));
    CHECK(fixture.routers[i]->imported() == std::vector<std::string>{kScript});
    CHECK_FALSE(std::filesystem::exists(fixture.routers[i]->files() / "vpnaas-apply.rsc"));
    CHECK(std::filesystem::exists(fixture.routers[i]->files() / "vpnaas-before-apply.rsc"));
  }
  CHECK(seen["r1"] == std::vector<Stage>{Stage::queued, Stage::connect, Stage::host_key,
                                         Stage::authenticate, Stage::backup, Stage::upload,
                                         Stage::import, Stage::cleanup, Stage::done});
}

TEST_CASE("a rejected script fails its router only and names the line") {
  Fixture fixture(3);
  fixture.routers[1]->fail_import_at("gre-b", "failure: already have interface with such name");

  const auto results = apply::apply(fixture.targets(), fixture.options());
  CHECK(results[0].ok);
  CHECK(results[2].ok);
  const auto& failed = results[1];
  CHECK_FALSE(failed.ok);
  CHECK(failed.failed_stage == Stage::import);
  CHECK(failed.failed_line == 3);
  CHECK(failed.message == "RouterOS rejected line 3 (`add name=gre-b remote-address=192.0.2.2`): "
                          "Script Error: failure: already have interface with such name (line 3 "
                          "column 1)");
  CHECK(failed.hint ==
        fmt::format("lines before 3 were applied; the configuration before this run is saved in "
                    "{} and on the device as vpnaas-before-apply.rsc",
                    failed.backup.string()));
  // The script holds pre-shared keys: it is removed even after a failure.
  CHECK_FALSE(std::filesystem::exists(fixture.routers[1]->files() / "vpnaas-apply.rsc"));
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
  CHECK(results[0].failed_stage == Stage::upload);
  CHECK(results[0].message.starts_with("upload of vpnaas-apply.rsc broke off after "));
  CHECK(fixture.routers[0]->imported().empty());
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
  CHECK(results[0].message == "would save a backup, upload 3 lines (95 bytes) as vpnaas-apply.rsc "
                              "and import them; nothing was contacted");
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
