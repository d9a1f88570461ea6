#include <vpnaas/routeros/version.hpp>

#include <fmt/format.h>

#include <map>

#include "validate_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

// The gateway address must be a host of one of the site's LANs: hosts use it
// as their default gateway, so outside the LAN they could not reach it.
void check_address(const Site& site, const Vrrp& vrrp, Diagnostics& diags) {
  const Ipv4Address address = vrrp.address.value;
  for (const auto& lan : site.lan) {
    if (!lan.value.contains(address)) {
      continue;
    }
    if (lan.value.length() < 31 &&
        (address == lan.value.network() || address == lan.value.last())) {
      diags.error(vrrp.address.where, "vrrp-address",
                  fmt::format("vrrp address {} is the {} address of LAN {}", address.to_string(),
                              address == lan.value.network() ? "network" : "broadcast",
                              lan.value.to_string()),
                  fmt::format("use a host address of {}, like {}", lan.value.to_string(),
                              lan.value.host(1).to_string()));
    } else if (vrrp.length && *vrrp.length != lan.value.length()) {
      diags.error(vrrp.address.where, "vrrp-address",
                  fmt::format("vrrp address {}/{} does not have the length of LAN {}",
                              address.to_string(), *vrrp.length, lan.value.to_string()),
                  fmt::format("write {}/{}", address.to_string(), lan.value.length()));
    }
    return;
  }
  std::vector<std::string> lans;
  for (const auto& lan : site.lan) {
    lans.push_back(lan.value.to_string());
  }
  diags.error(vrrp.address.where, "vrrp-address",
              fmt::format("vrrp address {} of site {} is outside its LAN ({})", address.to_string(),
                          site.name.value, fmt::join(lans, ", ")),
              "use the LAN gateway address the hosts of the site already have, like " +
                  (site.lan.empty() ? std::string("192.168.10.1/24")
                                    : site.lan.front().value.host(1).to_string()));
}

// VRRP on RouterOS 6 is not in the evidence the renderer relies on (its
// vrid and priority are absent from lib/data/routeros/properties-v6.tsv).
void check_release(const Site& site, Diagnostics& diags) {
  for (const Device* router : site.routers()) {
    if (router->settings.routeros.major < 7) {
      diags.error(router->settings.origins.routeros.where.file.empty()
                      ? router->where
                      : router->settings.origins.routeros.where,
                  "ha-needs-routeros-7",
                  fmt::format("router {} of highly available site {} runs RouterOS {}; vpnaas "
                              "renders VRRP and its tracking for RouterOS 7 only",
                              router->name.value, site.name.value,
                              ::vpnaas::routeros::to_string(router->settings.routeros)),
                  "set routeros: 7 on both routers of the site");
    }
  }
}

} // namespace

void validate_ha(const Inventory& inv, Diagnostics& diags) {
  for (const auto& customer : inv.customers) {
    // One customer's sites may share a layer-2 segment (a campus, a metro
    // VLAN); VRRP groups with one VRID on one segment take over each
    // other's gateway, so VRIDs are unique per customer.
    std::map<int, const Site*> vrids;
    for (const auto& site : customer.sites) {
      if (!site.vrrp) {
        continue;
      }
      const Vrrp& vrrp = *site.vrrp;
      check_address(site, vrrp, diags);
      check_release(site, diags);
      auto [it, fresh] = vrids.emplace(vrrp.vrid.value, &site);
      if (!fresh) {
        diags.error(vrrp.vrid.where, "vrid-conflict",
                    fmt::format("sites {} and {} of customer {} both use VRRP vrid {}",
                                it->second->name.value, site.name.value, customer.name.value,
                                vrrp.vrid.value),
                    "give each highly available site of the customer its own vrid (1-255)");
      }
    }
  }
}

} // namespace vpnaas::inventory::detail
