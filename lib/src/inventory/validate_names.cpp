#include <vpnaas/core/suggest.hpp>

#include <fmt/format.h>

#include <map>

#include "validate_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

// Reports every value seen before, pointing back at the first occurrence.
class UniqueCheck {
public:
  UniqueCheck(Diagnostics& diags, std::string code, std::string what, std::string hint)
      : m_diags(diags), m_code(std::move(code)), m_what(std::move(what)), m_hint(std::move(hint)) {}

  void see(const std::string& value, const SourceLocation& where) {
    auto [it, fresh] = m_first.emplace(value, where);
    if (!fresh) {
      m_diags.error(where, m_code,
                    fmt::format("duplicate {} \"{}\"; it is already used at {}", m_what, value,
                                to_string(it->second)),
                    m_hint);
    }
  }

private:
  Diagnostics& m_diags;
  std::string m_code;
  std::string m_what;
  std::string m_hint;
  std::map<std::string, SourceLocation> m_first;
};

} // namespace

void validate_names(const Inventory& inv, Diagnostics& diags) {
  UniqueCheck clusters(diags, "duplicate-name", "cluster name", "rename or remove one of them");
  UniqueCheck customers(diags, "duplicate-name", "customer name", "rename or remove one of them");
  UniqueCheck devices(diags, "duplicate-name", "device name",
                      "every router needs its own name; rename one of them");
  UniqueCheck public_ips(diags, "duplicate-address", "public-ip",
                         "every router needs its own public address; correct one of them");
  UniqueCheck router_ids(diags, "duplicate-address", "router-id",
                         "OSPF needs a unique router-id per router; correct one of them");
  UniqueCheck serials(diags, "duplicate-serial", "serial",
                      "a serial binds one TR-069 device to one entry; correct one of them");

  auto see_device = [&](const Device& d) {
    devices.see(d.name.value, d.name.where);
    public_ips.see(d.public_ip.value.to_string(), d.public_ip.where);
    router_ids.see(d.router_id.value.to_string(), d.router_id.where);
    if (d.serial) {
      serials.see(d.serial->value, d.serial->where);
    }
  };

  std::vector<std::string> cluster_names;
  for (const auto& cluster : inv.clusters) {
    clusters.see(cluster.name.value, cluster.name.where);
    cluster_names.push_back(cluster.name.value);
    for (const auto& d : cluster.devices) {
      see_device(d);
    }
  }
  for (const auto& customer : inv.customers) {
    customers.see(customer.name.value, customer.name.where);
    if (inv.find_cluster(customer.name.value) != nullptr) {
      diags.error(
          customer.name.where, "name-clash",
          fmt::format("customer \"{}\" has the same name as a cluster", customer.name.value),
          "rename the customer or the cluster: their output folders and tunnel ids "
          "would collide");
    }
    UniqueCheck sites(diags, "duplicate-name", "site name", "rename or remove one of them");
    for (const auto& site : customer.sites) {
      sites.see(site.name.value, site.name.where);
      for (const Device* router : site.routers()) {
        see_device(*router);
      }
    }
    if (!customer.cluster.value.empty() && inv.find_cluster(customer.cluster.value) == nullptr) {
      std::string hint = cluster_names.empty()
                             ? "add clusters/<name>.yaml for it"
                             : fmt::format("known clusters: {}", fmt::join(cluster_names, ", "));
      if (auto near = closest_match(customer.cluster.value, cluster_names)) {
        hint = fmt::format("did you mean \"{}\"?", *near);
      }
      diags.error(customer.cluster.where, "unknown-cluster",
                  fmt::format("cluster \"{}\" does not exist", customer.cluster.value), hint);
    }
  }
}

} // namespace vpnaas::inventory::detail
