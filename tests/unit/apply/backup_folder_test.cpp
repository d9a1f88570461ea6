#include <vpnaas/apply/backup_folder.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "support/git_repo.hpp"
#include "support/paths.hpp"

using namespace vpnaas;
namespace fs = std::filesystem;

namespace {

// Sets (or, with nullopt, unsets) a variable of this process for one scope.
class ScopedVariable {
public:
  ScopedVariable(const char* name, std::optional<std::string> value) : m_name(name) {
    if (const char* old = std::getenv(name)) {
      m_old = old;
    }
    set(value);
  }
  ~ScopedVariable() { set(m_old); }
  ScopedVariable(const ScopedVariable&) = delete;
  ScopedVariable& operator=(const ScopedVariable&) = delete;

private:
  void set(const std::optional<std::string>& value) {
    if (value) {
      ::setenv(m_name, value->c_str(), 1);
    } else {
      ::unsetenv(m_name);
    }
  }
  const char* m_name;
  std::optional<std::string> m_old;
};

} // namespace

TEST_CASE("the default backup folder is the user's state folder") {
  ScopedVariable home("HOME", "/home/engineer");
  {
    ScopedVariable state("XDG_STATE_HOME", "/var/lib/ci/state");
    auto folder = apply::default_backup_folder();
    REQUIRE(folder);
    CHECK(*folder == fs::path("/var/lib/ci/state/vpnaas/backups"));
  }
  for (std::optional<std::string> ignored :
       {std::optional<std::string>(), std::optional<std::string>(""),
        std::optional<std::string>("relative/state")}) {
    CAPTURE(ignored.value_or("(unset)"));
    ScopedVariable state("XDG_STATE_HOME", ignored);
    auto folder = apply::default_backup_folder();
    REQUIRE(folder);
    CHECK(*folder == fs::path("/home/engineer/.local/state/vpnaas/backups"));
  }
  ScopedVariable state("XDG_STATE_HOME", std::nullopt);
  ScopedVariable no_home("HOME", std::nullopt);
  auto none = apply::default_backup_folder();
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ErrorCode::environment);
  CHECK(none.error().message == "cannot choose a backup folder: neither XDG_STATE_HOME nor HOME "
                                "is set to an absolute path");
}

TEST_CASE("a backup folder inside a git work tree is refused unless git ignores it") {
  test::TempDir tmp;
  const fs::path root = fs::canonical(tmp.path());
  test::GitRepo repo(root / "repo");
  const fs::path backups = root / "repo" / "backups";

  auto refused = apply::backup_folder(backups);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::environment);
  CHECK(refused.error().message ==
        fmt::format("backup folder {} is inside the git work tree {} and git does not ignore it: "
                    "the router configurations saved there (secrets included on RouterOS 6) could "
                    "be committed",
                    backups.string(), (root / "repo").string()));
  CHECK(refused.error().hint ==
        fmt::format("add the line /backups/ to {}, or pass --backup-dir with a folder outside "
                    "the work tree (the default is $XDG_STATE_HOME/vpnaas/backups, else "
                    "~/.local/state/vpnaas/backups)",
                    (root / "repo" / ".gitignore").string()));
  CHECK_FALSE(fs::exists(backups)); // the check creates nothing

  // A deeper folder that does not exist yet is asked about from the nearest one that does.
  auto nested = apply::backup_folder(root / "repo" / "ops" / "saved");
  REQUIRE_FALSE(nested);
  CHECK(nested.error().hint.starts_with("add the line /ops/saved/ to "));

  test::write_file(root / "repo" / ".gitignore", "backups/\n");
  auto ignored = apply::backup_folder(backups);
  REQUIRE(ignored);
  CHECK(*ignored == backups);

  auto outside = apply::backup_folder(root / "elsewhere");
  REQUIRE(outside);
  CHECK(*outside == root / "elsewhere");
}
