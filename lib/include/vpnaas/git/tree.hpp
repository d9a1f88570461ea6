#pragma once

#include <vpnaas/core/error.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace vpnaas::git {

// An inventory folder as committed at one revision.
struct RevisionFiles {
  std::string revision; // as the user wrote it ("HEAD~1", "origin/main")
  std::string commit;   // full commit id it resolves to
  // Path relative to the inventory folder -> content, in the shape
  // inventory::load_inventory_from takes: YAML files up to one folder deep,
  // vpnaas.lock and known_hosts have their content; other files are listed with empty content
  // so that stray files are reported as they are for a folder on disk.
  std::map<std::string, std::string> files;
};

// How the calling command names the revision, for messages: `--rev` can be
// dropped to read the folder instead, while `plan --base` or `apply
// --changed-since` cannot do without git, so their hints must say otherwise.
struct RevisionOption {
  std::string flag = "--rev";
  // The fix when the folder is not in a git work tree.
  std::string outside_git_hint =
      "run vpnaas in a clone of the inventory's repository, or drop --rev to read the folder";
  // The fix when git cannot be run.
  std::string no_git_hint = "install it (apt-get install git) or drop --rev";
};

// Reads the inventory folder `inventory_root` as committed at `revision` with
// the git CLI (rev-parse, ls-tree, cat-file --batch), never touching the
// working tree or the index. The folder need not exist in the working tree.
// Fails with invalid_input when the folder is not in a git repository, the
// revision does not name a commit, or the folder does not exist at that
// commit (each with a hint), and with io when git cannot be run.
Result<RevisionFiles> read_inventory_at(const std::filesystem::path& inventory_root,
                                        const std::string& revision,
                                        const RevisionOption& option = {});

// "abc1234" for display.
std::string short_commit(const std::string& commit);

} // namespace vpnaas::git
