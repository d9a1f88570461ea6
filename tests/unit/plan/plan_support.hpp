#pragma once

#include <vpnaas/plan/diff.hpp>
#include <vpnaas/workspace/workspace.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

// Inventories for the plan tests, written as the YAML a user keeps in git:
// two revisions are two file maps, opened the way `vpnaas plan` opens them.
namespace vpnaas::test {

// A site, the number that derives its LAN (172.16.n.0/24), public IP and
// router ID (so it keeps its addresses wherever it moves), and keys added
// verbatim to its device ("mtu: 1300") and to the site ("psk-epoch: 1").
struct PlanSite {
  std::string name;
  int n = 0;
  std::string device_extra;
  std::string site_extra;
};

// Sites "s000", "s001", ... numbered from `first`.
std::vector<PlanSite> sites(int count, int first = 0);

// Cluster dc1 (routers dc1-r1, dc1-r2), cluster dc2 (dc2-r1), and customers
// acme (dc1, `acme_sites`), beta (dc1, two sites) and gamma (dc2, two sites).
std::map<std::string, std::string> three_customers(const std::vector<PlanSite>& acme_sites);

// customers/<name>.yaml for `sites` on `cluster`.
std::string customer_yaml(const std::string& name, const std::string& cluster,
                          const std::vector<PlanSite>& sites);

// Opens in-memory files (rooted at "inv", lock never written); fails the
// test when the inventory does not validate.
std::unique_ptr<Workspace> open_files(const std::map<std::string, std::string>& files);

// `files` with the lock `previous` allocated, as the next commit would hold it.
std::map<std::string, std::string> with_lock_of(std::map<std::string, std::string> files,
                                                const Workspace& previous);

// diff_workspaces, failing the test on an error.
plan::InventoryDiff diff(const Workspace& base, const Workspace& head);

// The tunnel with `id`; fails the test when there is none.
const topology::Tunnel& tunnel(const Workspace& ws, const std::string& id);

const plan::DeviceDiff& device(const plan::InventoryDiff& diff, const std::string& name);

// Every string the diff holds, one per line, for "appears nowhere" checks and
// for comparing two diffs.
std::string dump(const plan::InventoryDiff& diff);

} // namespace vpnaas::test
