#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace vpnaas::test {

// A git repository in a folder the test owns, driven through the git CLI
// with a fixed identity, so tests do not depend on the user's git config.
class GitRepo {
public:
  explicit GitRepo(std::filesystem::path root);
  const std::filesystem::path& root() const { return m_root; }
  // `git add -A` and commit everything; returns the new commit id.
  std::string commit_all(const std::string& message);
  // Runs git in the repository; fails the test when git fails.
  std::string git(const std::vector<std::string>& args) const;

private:
  std::filesystem::path m_root;
};

} // namespace vpnaas::test
