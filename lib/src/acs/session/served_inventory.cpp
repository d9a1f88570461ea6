#include <vpnaas/acs/session/served_inventory.hpp>
#include <vpnaas/inventory/loader.hpp>

#include <fmt/format.h>

#include <map>

namespace vpnaas::acs::session {
namespace {

// Calls `visit` for every device of the inventory: cluster devices, then
// each site's routers (both of a highly available site).
template <class Visit>
void each_device(const inventory::Inventory& inventory, Visit visit) {
  for (const auto& cluster : inventory.clusters) {
    for (const auto& device : cluster.devices) {
      visit(device);
    }
  }
  for (const auto& customer : inventory.customers) {
    for (const auto& site : customer.sites) {
      for (const inventory::Device* router : site.routers()) {
        visit(*router);
      }
    }
  }
}

// The same check as `inventory validate`'s duplicate-serial: the loader
// alone does not make it, and a serial bound twice would bind a CPE to
// whichever device came last.
void check_serials(const inventory::Inventory& inventory, Diagnostics& diags) {
  std::map<std::string, SourceLocation> first;
  each_device(inventory, [&](const inventory::Device& device) {
    if (!device.serial) {
      return;
    }
    auto [seen, fresh] = first.emplace(device.serial->value, device.serial->where);
    if (!fresh) {
      diags.error(device.serial->where, "duplicate-serial",
                  fmt::format("duplicate serial \"{}\"; it is already used at {}",
                              device.serial->value, to_string(seen->second)),
                  "a serial binds one TR-069 device to one entry; correct one of them");
    }
  });
}

} // namespace

Bindings bindings_from(const inventory::Inventory& inventory) {
  Bindings bindings;
  each_device(inventory, [&](const inventory::Device& device) {
    if (device.serial) {
      bindings[device.serial->value] = device.name.value;
    }
  });
  return bindings;
}

std::set<std::string> device_names_from(const inventory::Inventory& inventory) {
  std::set<std::string> names;
  each_device(inventory, [&](const inventory::Device& device) { names.insert(device.name.value); });
  return names;
}

Result<ServedInventory> load_served_inventory(const std::filesystem::path& root,
                                              Diagnostics& diags) {
  auto loaded = inventory::load_inventory(root, diags);
  if (loaded) {
    check_serials(*loaded, diags);
  }
  if (!loaded || diags.has_errors()) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("the inventory {} does not load", root.string()),
                      "fix the problems above; `vpnaas inventory validate` checks it");
  }
  ServedInventory served;
  served.bindings = bindings_from(*loaded);
  served.device_names = device_names_from(*loaded);
  served.acs = loaded->management.acs;
  return served;
}

} // namespace vpnaas::acs::session
