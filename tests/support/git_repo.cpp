#include "support/git_repo.hpp"

#include <doctest/doctest.h>

#include "support/run.hpp"

namespace vpnaas::test {

GitRepo::GitRepo(std::filesystem::path root) : m_root(std::move(root)) {
  std::filesystem::create_directories(m_root);
  git({"init", "-q", "-b", "main"});
}

std::string GitRepo::git(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"git",
                                "-C",
                                m_root.string(),
                                "-c",
                                "user.name=vpnaas tests",
                                "-c",
                                "user.email=tests@vpnaas.invalid",
                                "-c",
                                "commit.gpgsign=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  // GIT_CONFIG_GLOBAL: the user's own settings (hooks, templates) stay out.
  RunResult r = run(argv, {{"GIT_CONFIG_GLOBAL", "/dev/null"}, {"GIT_CONFIG_NOSYSTEM", "1"}});
  INFO("git ", args.front(), ": ", r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::string GitRepo::commit_all(const std::string& message) {
  git({"add", "-A"});
  git({"commit", "-q", "--allow-empty", "-m", message});
  std::string id = git({"rev-parse", "HEAD"});
  while (!id.empty() && id.back() == '\n') {
    id.pop_back();
  }
  return id;
}

} // namespace vpnaas::test
