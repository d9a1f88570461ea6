#pragma once

#include <vpnaas/core/error.hpp>

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vpnaas::mesh {

// One problem found in a generated set. `tunnel` is empty for problems of a
// whole file (it does not read or does not run).
struct Finding {
  std::string file;
  std::string tunnel;
  std::string message;
};

struct CheckReport {
  std::size_t files = 0;
  std::size_t tunnels = 0;       // tunnels with both ends in the set, compared
  std::size_t one_sided = 0;     // tunnels whose other end's file is not in the set
  std::size_t ha_sites = 0;      // VRRP groups (HA sites) compared across their routers
  std::vector<Finding> problems; // empty when the mesh is consistent
  // The simulator's work for the first import of every script (RunStats).
  std::uint64_t import_work = 0;
  // Scripts per RouterOS release they declare they need ("7.1" -> 8).
  std::map<std::string, std::size_t> minimums;
  bool ok() const { return problems.empty(); }
};

// Checks a set of generated scripts (relative path -> text) for whole-mesh
// consistency. Each script is read and executed on an empty simulated router
// of the oldest release its header says it needs (routeros::run_script,
// schema-checked), so a script that would fail on a router is itself a
// problem, as is one that does not declare its release; each is then
// imported a second time, which must change nothing; then, for every tunnel (by its tag), the
// two ends must agree: mirrored public addresses on the GRE interface, IPsec peer and policy; the
// same transit /30 with two distinct usable host addresses; the same
// pre-shared key; the same IKE profile and ESP proposal parameters; the same
// MTU; and the same OSPF timers when OSPF runs on it. For every HA
// site (by its VRRP tag), its two routers must agree on the VRRP group, one
// must be primary, and each one's tracking must lower its own priority below
// both and restore it. Never fails: problems are findings.
CheckReport check_scripts(const std::vector<std::pair<std::string, std::string>>& files);

// Same, for every `*.rsc` file under `folder` (as `mesh generate` wrote it).
// Fails with io when the folder cannot be read or holds no script.
Result<CheckReport> check_tree(const std::filesystem::path& folder);

} // namespace vpnaas::mesh
