#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace vpnaas::git {

// The commit id of HEAD in the git repository holding `inventory_root`, with
// "-dirty" appended when files under `inventory_root` differ from HEAD
// (modified, staged or untracked). Runs the git CLI directly (posix_spawn, no
// shell). Returns nullopt outside a repository, in a repository without
// commits, or when git is not installed; it never fails otherwise.
std::optional<std::string> describe_head(const std::filesystem::path& inventory_root);

} // namespace vpnaas::git
