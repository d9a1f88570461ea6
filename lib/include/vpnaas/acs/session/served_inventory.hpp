#pragma once

// What `vpnaas acs serve` takes from the inventory, at its start and at each
// reload (SIGHUP): which serial is bound to which device, the device names
// `device accept --device NAME` may use, and `management.acs`. The inventory
// stays the source of truth; the server keeps only this.

#include <vpnaas/acs/session/cwmp_service.hpp>
#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/core/error.hpp>
#include <vpnaas/inventory/model.hpp>

#include <filesystem>
#include <optional>
#include <set>
#include <string>

namespace vpnaas::acs::session {

struct ServedInventory {
  Bindings bindings;                         // serial -> device name, from `serial:`
  std::set<std::string> device_names;        // every device of every cluster and site
  std::optional<inventory::AcsSettings> acs; // management.acs: the URL routers are told
};

// serial -> device name for every device and site that has a `serial:`.
Bindings bindings_from(const inventory::Inventory& inventory);
// Every device name of the inventory (cluster devices and sites).
std::set<std::string> device_names_from(const inventory::Inventory& inventory);

// Loads the inventory folder `root` as the server does. Fails with
// invalid_input naming the folder when it does not load or when two devices
// have the same serial (which one a CPE is would be a guess); `diags` then
// holds each problem with its file, line and column, for the caller to print.
Result<ServedInventory> load_served_inventory(const std::filesystem::path& root,
                                              Diagnostics& diags);

} // namespace vpnaas::acs::session
