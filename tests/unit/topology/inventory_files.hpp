#pragma once

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/inventory/model.hpp>
#include <vpnaas/topology/allocation.hpp>
#include <vpnaas/topology/lock_file.hpp>
#include <vpnaas/topology/tunnel.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

// Small inventories for the topology tests, written as the YAML a user would
// keep in git and read through the real loader.
namespace vpnaas::test {

// A site and the number that derives its LAN, public IP and router ID, so a
// site keeps its addresses wherever it moves in the file.
struct SiteSpec {
  std::string name;
  int n = 0;
};

// Sites "s000", "s001", ... numbered from `first`.
std::vector<SiteSpec> numbered_sites(int count, int first = 0);

class InventoryFiles {
public:
  // vpnaas.yaml with `transit-pool: 10.255.0.0/16` and the management range
  // 198.51.100.0/24, and cluster dc1 with routers dc1-r1 and dc1-r2.
  InventoryFiles();

  // Replaces vpnaas.yaml's global transit pool.
  InventoryFiles& global_pool(const std::string& prefix);
  // Adds or replaces customers/<name>.yaml; `extra` is added verbatim as
  // top-level keys (topology, transit-pool, tunnels).
  InventoryFiles& customer(const std::string& name, const std::vector<SiteSpec>& sites,
                           const std::string& extra = {}, const std::string& cluster = "dc1");
  InventoryFiles& set(const std::string& path, const std::string& text);
  InventoryFiles& erase(const std::string& path);

  const std::map<std::string, std::string>& files() const { return m_files; }

private:
  std::map<std::string, std::string> m_files;
  std::string m_pool = "10.255.0.0/16";
};

// Loads through inventory::load_inventory_from with root "inv"; fails the
// test when the loader reports an error. Heap-held because tunnels point into it.
std::unique_ptr<inventory::Inventory> load(const InventoryFiles& files);

// An inventory expanded into tunnels and allocated against a previous lock.
struct Allocated {
  std::unique_ptr<inventory::Inventory> inventory;
  std::vector<topology::Tunnel> tunnels;
  topology::Allocation allocation;
  Diagnostics diags;
};
Allocated allocate_files(const InventoryFiles& files, const topology::LockFile& previous = {});

// The ids of `changes` of one kind, in order.
std::vector<std::string> change_ids(const std::vector<topology::LockChange>& changes,
                                    topology::LockChange::Kind kind);

} // namespace vpnaas::test
