#pragma once

#include <vpnaas/core/error.hpp>

#include <filesystem>

namespace vpnaas::git {

// Where a folder stands with respect to git.
struct FolderStatus {
  enum class Place {
    git_missing,       // git cannot be run, so nothing can be said
    outside_work_tree, // no git work tree holds it
    ignored,           // in a work tree, and git ignores it
    not_ignored,       // in a work tree, and `git add` would pick up its files
  };
  Place place = Place::git_missing;
  std::filesystem::path folder;    // absolute, symbolic links resolved
  std::filesystem::path work_tree; // the top of the work tree, when in one
};

// Asks the git CLI (`rev-parse --show-toplevel`, then `check-ignore`) whether
// `folder`, which need not exist yet, lies in a git work tree and whether git
// ignores it there. The question is asked from the nearest folder that exists.
// Fails with io when the folder's path cannot be resolved, and with
// environment when git answers neither yes nor no.
Result<FolderStatus> folder_status(const std::filesystem::path& folder);

} // namespace vpnaas::git
