#include <vpnaas/git/revision.hpp>

#include "process.hpp"

namespace vpnaas::git {

std::optional<std::string> describe_head(const std::filesystem::path& inventory_root) {
  std::error_code ec;
  std::filesystem::path root = std::filesystem::absolute(inventory_root, ec);
  if (ec) {
    return std::nullopt;
  }
  // stderr is dropped: "not a git repository" is an answer here, not an error.
  ProcessOutput head =
      run_process("git", {"-C", root.string(), "rev-parse", "--verify", "--quiet", "HEAD"});
  head.out = without_trailing_newlines(std::move(head.out));
  if (!head.ok() || head.out.empty()) {
    return std::nullopt;
  }
  ProcessOutput status = run_process(
      "git", {"-C", root.string(), "status", "--porcelain", "--untracked-files=all", "--", "."});
  if (status.ok() && !status.out.empty()) {
    head.out += "-dirty";
  }
  return head.out;
}

} // namespace vpnaas::git
