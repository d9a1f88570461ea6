#include "inventory_files.hpp"

#include <vpnaas/inventory/loader.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

namespace vpnaas::test {
namespace {

const char* const kCluster = R"(cluster: dc1
networks: [10.10.0.0/24]
devices:
  - name: dc1-r1
    public-ip: 203.0.113.1
    router-id: 10.0.255.1
  - name: dc1-r2
    public-ip: 203.0.113.2
    router-id: 10.0.255.2
)";

std::string global_yaml(const std::string& pool) {
  return fmt::format(R"(vpnaas: 1
defaults:
  transit-pool: {}
management:
  ranges: [198.51.100.0/24]
)",
                     pool);
}

// 250 hosts per block keeps every octet valid and non-zero for n up to 62,499.
std::string site_yaml(const SiteSpec& site) {
  const int hi = site.n / 250;
  const int lo = site.n % 250 + 1;
  return fmt::format(R"(  - name: {}
    lan: [172.{}.{}.0/24]
    device:
      name: {}-r1
      public-ip: 198.18.{}.{}
      router-id: 10.200.{}.{}
)",
                     site.name, 16 + site.n / 256, site.n % 256, site.name, hi, lo, hi, lo);
}

} // namespace

std::vector<SiteSpec> numbered_sites(int count, int first) {
  std::vector<SiteSpec> sites;
  for (int i = first; i < first + count; ++i) {
    sites.push_back(SiteSpec{fmt::format("s{:03}", i), i});
  }
  return sites;
}

InventoryFiles::InventoryFiles() {
  m_files["vpnaas.yaml"] = global_yaml(m_pool);
  m_files["clusters/dc1.yaml"] = kCluster;
}

InventoryFiles& InventoryFiles::global_pool(const std::string& prefix) {
  m_pool = prefix;
  m_files["vpnaas.yaml"] = global_yaml(m_pool);
  return *this;
}

InventoryFiles& InventoryFiles::customer(const std::string& name,
                                         const std::vector<SiteSpec>& sites,
                                         const std::string& extra, const std::string& cluster) {
  std::string text = fmt::format("customer: {}\ncluster: {}\n{}sites:\n", name, cluster, extra);
  for (const auto& site : sites) {
    text += site_yaml(site);
  }
  m_files[fmt::format("customers/{}.yaml", name)] = text;
  return *this;
}

InventoryFiles& InventoryFiles::set(const std::string& path, const std::string& text) {
  m_files[path] = text;
  return *this;
}

InventoryFiles& InventoryFiles::erase(const std::string& path) {
  m_files.erase(path);
  return *this;
}

std::unique_ptr<inventory::Inventory> load(const InventoryFiles& files) {
  Diagnostics diags;
  auto inv = inventory::load_inventory_from("inv", files.files(), diags);
  for (const auto& d : diags.sorted()) {
    INFO(format_diagnostic(d));
    CHECK(d.severity != Severity::error);
  }
  REQUIRE(inv.has_value());
  return std::make_unique<inventory::Inventory>(std::move(*inv));
}

Allocated allocate_files(const InventoryFiles& files, const topology::LockFile& previous) {
  Allocated out;
  out.inventory = load(files);
  out.tunnels = topology::build_tunnels(*out.inventory);
  out.allocation = topology::allocate(*out.inventory, out.tunnels, previous, out.diags);
  return out;
}

std::vector<std::string> change_ids(const std::vector<topology::LockChange>& changes,
                                    topology::LockChange::Kind kind) {
  std::vector<std::string> ids;
  for (const auto& c : changes) {
    if (c.kind == kind) {
      ids.push_back(c.tunnel_id);
    }
  }
  return ids;
}

} // namespace vpnaas::test
