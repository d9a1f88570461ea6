// The git children vpnaas starts see none of its secrets: a `git` first on
// PATH records the environment it was given, then runs the real git.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <sys/stat.h>

#include "ssh_cli.hpp"
#include "support/git_repo.hpp"

using vpnaas::test::read_file;
using vpnaas::test::SshCli;
namespace fs = std::filesystem;

TEST_CASE("git runs without the SSH password and master key variables") {
  SshCli cli;
  vpnaas::test::GitRepo repo(cli.inventory);
  repo.commit_all("inventory");

  const auto found = vpnaas::test::run({"sh", "-c", "command -v git"});
  REQUIRE(found.exit_code == 0);
  const std::string real_git = found.out.substr(0, found.out.find('\n'));
  const fs::path bin = cli.dir.path() / "bin";
  const fs::path dump = cli.dir.path() / "git-env.txt";
  vpnaas::test::write_file(bin / "git", fmt::format("#!/bin/sh\nenv >>'{}'\necho '--- end' >>'{}'\n"
                                                    "exec '{}' \"$@\"\n",
                                                    dump.string(), dump.string(), real_git));
  fs::permissions(bin / "git", fs::perms::owner_all);

  const std::string master_key = "0123456789abcdef" + std::string(48, 'e');
  cli.env["VPNAAS_MASTER_KEY"] = master_key;
  cli.env["VPNAAS_SSH_PASSWORD"] = "default-variable-password-71";
  cli.env["ROUTER_PW"] = "named-variable-password-72";
  cli.env["GIT_TOKEN"] = "ci-token-73";
  cli.env["GIT_CONFIG_NOSYSTEM"] = "1";
  cli.env["LC_ALL"] = "C";
  cli.env["PATH"] = bin.string() + ":" + std::getenv("PATH");
  // --changed-since reads the inventory at HEAD; apply also asks git about the
  // backup folder and the inventory's revision.
  auto result = cli.run({"apply", "--via", "ssh", "--dry-run", "--changed-since", "HEAD",
                         "--password-env", "ROUTER_PW"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);

  REQUIRE(fs::exists(dump));
  const std::string seen = read_file(dump);
  const std::string separator = "--- end\n";
  std::size_t runs = 0;
  for (std::size_t at = seen.find(separator); at != std::string::npos;
       at = seen.find(separator, at + 1)) {
    ++runs;
  }
  CHECK(runs >= 5); // check-ignore, rev-parse (x3), ls-tree, cat-file, status
  for (const std::string& secret :
       {std::string("VPNAAS_MASTER_KEY"), master_key, std::string("VPNAAS_SSH_PASSWORD"),
        std::string("default-variable-password-71"), std::string("ROUTER_PW"),
        std::string("named-variable-password-72"), std::string("GIT_TOKEN"),
        std::string("ci-token-73")}) {
    CAPTURE(secret);
    CHECK(seen.find(secret) == std::string::npos);
  }
  // What git needs is still there, in every run.
  for (const std::string& kept :
       {fmt::format("PATH={}:", bin.string()), fmt::format("HOME={}", cli.env.at("HOME")),
        std::string("GIT_CONFIG_NOSYSTEM=1"), std::string("LC_ALL=C"),
        fmt::format("XDG_CONFIG_HOME={}", cli.env.at("XDG_CONFIG_HOME"))}) {
    CAPTURE(kept);
    std::size_t count = 0;
    for (std::size_t at = seen.find(kept); at != std::string::npos; at = seen.find(kept, at + 1)) {
      count += at == 0 || seen[at - 1] == '\n' ? 1U : 0U;
    }
    CHECK(count == runs);
  }
}
