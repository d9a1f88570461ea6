// Where `vpnaas apply` keeps its local backups: the user's state folder by
// default, owner-only, and never a folder git would commit.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "ssh_cli.hpp"
#include "support/git_repo.hpp"
#include "support/paths.hpp"

using vpnaas::test::file_mode;
using vpnaas::test::kSshInventoryDevices;
using vpnaas::test::SshCli;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> files_in(const fs::path& folder) {
  std::vector<fs::path> files;
  if (fs::is_directory(folder)) {
    for (const auto& entry : fs::directory_iterator(folder)) {
      files.push_back(entry.path());
    }
  }
  return files;
}

} // namespace

TEST_CASE("apply keeps backups in the user's state folder, readable by the owner only") {
  SshCli cli;
  const fs::path state = cli.dir.path() / "state"; // XDG_STATE_HOME of SshCli, not created yet
  REQUIRE_FALSE(fs::exists(state));
  auto result = cli.run({"apply", "--via", "ssh", "--device", "dc1-r1"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  // Every folder vpnaas created, from XDG_STATE_HOME down to the router's.
  for (const fs::path& folder :
       {state, state / "vpnaas", state / "vpnaas" / "backups", state / "vpnaas/backups/dc1-r1"}) {
    CAPTURE(folder);
    CHECK(file_mode(folder) == 0700U);
  }
  const auto saved = files_in(state / "vpnaas/backups/dc1-r1");
  REQUIRE(saved.size() == 1);
  CHECK(saved[0].extension() == ".rsc");
  CHECK(file_mode(saved[0]) == 0600U);
  CHECK_FALSE(fs::exists(cli.dir.path() / "backups")); // the old default, the working folder

  // Without XDG_STATE_HOME, ~/.local/state.
  cli.env["XDG_STATE_HOME"] = "";
  auto fallback = cli.run({"apply", "--via", "ssh", "--device", "dc1-r2", "--format", "json"});
  INFO(fallback.err);
  REQUIRE(fallback.exit_code == 0);
  const fs::path home_backups = cli.dir.path() / "home/.local/state/vpnaas/backups";
  const auto document = nlohmann::json::parse(fallback.out);
  const auto in_home = files_in(home_backups / "dc1-r2");
  REQUIRE(in_home.size() == 1);
  CHECK(document["devices"][0]["backup"] == in_home[0].string());
  CHECK(file_mode(home_backups) == 0700U);
}

TEST_CASE("a backup folder git would commit is refused before any router is contacted") {
  SshCli cli;
  const fs::path root = fs::canonical(cli.dir.path());
  vpnaas::test::GitRepo repo(root / "repo");
  const std::string backups = (root / "repo" / "backups").string();

  for (const bool dry_run : {true, false}) {
    CAPTURE(dry_run);
    std::vector<std::string> args{"apply", "--via", "ssh", "--backup-dir", backups};
    if (dry_run) {
      args.emplace_back("--dry-run");
    }
    auto refused = cli.run(args);
    CHECK(refused.exit_code == 4);
    CHECK(refused.out.empty());
    CHECK(refused.err ==
          fmt::format("vpnaas: backup folder {} is inside the git work tree {} and git does not "
                      "ignore it: the router configurations saved there (secrets included on "
                      "RouterOS 6) could be committed (add the line /backups/ to {}, or pass "
                      "--backup-dir with a folder outside the work tree (the default is "
                      "$XDG_STATE_HOME/vpnaas/backups, else ~/.local/state/vpnaas/backups))\n",
                      backups, (root / "repo").string(), (root / "repo/.gitignore").string()));
  }
  auto json = cli.run({"apply", "--via", "ssh", "--backup-dir", backups, "--format", "json"});
  CHECK(json.exit_code == 4);
  const auto document = nlohmann::json::parse(json.out);
  CHECK(document["ok"] == false);
  CHECK(document["error"]["code"] == "environment");
  for (const auto& device : kSshInventoryDevices) {
    CHECK(cli.router(device).commands().empty());
  }
  CHECK_FALSE(fs::exists(backups));

  // Ignored by git, the same folder is used.
  vpnaas::test::write_file(root / "repo/.gitignore", "/backups/\n");
  auto accepted =
      cli.run({"apply", "--via", "ssh", "--device", "acme-bru-r1", "--backup-dir", backups});
  INFO(accepted.err);
  CHECK(accepted.exit_code == 0);
  CHECK(files_in(fs::path(backups) / "acme-bru-r1").size() == 1);
  CHECK(repo.git({"status", "--porcelain", "--untracked-files=all"}) == "?? .gitignore\n");
}
