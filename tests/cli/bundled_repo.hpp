#pragma once

// Shared by the CLI tests of `--rev` and `vpnaas plan`: the bundled inventory
// committed in a fresh git repository, and acme's fourth site to add to it.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/git_repo.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"

namespace vpnaas::test {

inline const char* kLiegeSite = R"(  - name: liege
    lan: [192.168.40.0/24]
    device:
      name: acme-lie-r1
      public-ip: 192.0.2.40
      router-id: 10.1.0.4
)";

struct BundledRepo {
  TempDir dir;
  GitRepo repo{dir.path() / "repo"};
  std::filesystem::path inventory = dir.path() / "repo" / "inventory";
  std::map<std::string, std::string> env{{"VPNAAS_MASTER_KEY", std::string(64, '5')},
                                         {"HOME", (dir.path() / "home").string()},
                                         {"XDG_CONFIG_HOME", (dir.path() / "config").string()}};
  std::string first; // the commit of the bundled inventory

  BundledRepo() {
    copy_tree(source_path("inventory"), inventory);
    first = repo.commit_all("bundled inventory");
  }

  // `vpnaas <args> --inventory <repo>/inventory`, run from the temp folder;
  // without the master key in the environment unless `with_key`.
  RunResult cli(std::vector<std::string> args, bool with_key = true) const {
    args.insert(args.end(), {"--inventory", inventory.string()});
    auto e = env;
    if (!with_key) {
      e["VPNAAS_MASTER_KEY"] = "";
    }
    return run_cli(args, e, dir.path().string());
  }

  void add_liege() const {
    write_file(inventory / "customers/acme.yaml",
               read_file(inventory / "customers/acme.yaml") + kLiegeSite);
  }
};

} // namespace vpnaas::test
