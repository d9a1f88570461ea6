#include <vpnaas/git/ignore.hpp>

#include <fmt/format.h>

#include "process.hpp"

namespace vpnaas::git {
namespace fs = std::filesystem;

Result<FolderStatus> folder_status(const fs::path& folder) {
  std::error_code ec;
  // Resolved, so that git compares the real path with its real top level.
  fs::path absolute = fs::weakly_canonical(fs::absolute(folder, ec), ec);
  if (ec) {
    return make_error(ErrorCode::io, fmt::format("cannot resolve the folder {}: {}",
                                                 folder.string(), ec.message()));
  }
  if (!absolute.has_filename()) {
    absolute = absolute.parent_path();
  }
  FolderStatus status;
  status.folder = absolute;
  fs::path anchor = absolute;
  while (!fs::is_directory(anchor, ec) && anchor.has_relative_path()) {
    anchor = anchor.parent_path();
  }

  ProcessOutput top = run_process("git", {"-C", anchor.string(), "rev-parse", "--show-toplevel"});
  if (!top.started) {
    status.place = FolderStatus::Place::git_missing;
    return status;
  }
  // Also "not ok" inside a .git folder or a bare repository: nothing there is
  // ever committed.
  if (!top.ok()) {
    status.place = FolderStatus::Place::outside_work_tree;
    return status;
  }
  status.work_tree = without_trailing_newlines(top.out);

  // The trailing slash tells git that the path is a folder: a pattern such as
  // "backups/" matches only folders, and the folder may not exist yet.
  ProcessOutput ignored = run_process(
      "git", {"-C", anchor.string(), "check-ignore", "--quiet", "--", absolute.string() + "/"});
  if (ignored.started && ignored.exit_status == 0) {
    status.place = FolderStatus::Place::ignored;
  } else if (ignored.started && ignored.exit_status == 1) {
    status.place = FolderStatus::Place::not_ignored;
  } else {
    return make_error(ErrorCode::environment,
                      fmt::format("`git check-ignore` cannot tell whether {} is ignored in {}: {}",
                                  absolute.string(), status.work_tree.string(),
                                  without_trailing_newlines(ignored.err)),
                      "check the repository with `git status`");
  }
  return status;
}

} // namespace vpnaas::git
