#pragma once

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/inventory/model.hpp>

namespace vpnaas::inventory {

// Checks that span files, on a loaded inventory: duplicate names, public IPs
// and router IDs; references to clusters and crypto suites; overlapping LANs,
// cluster networks and pools; pool capacity; weak crypto; per-tunnel setting
// conflicts; and warnings for configurations that work but are unwise.
// Adds to `diags`; never throws.
void validate_inventory(const Inventory& inv, Diagnostics& diags);

// Maximum tunnels per device before a warning: beyond this RouterOS boxes
// get slow to converge and hard to operate.
inline constexpr std::size_t kTunnelWarningThreshold = 100;

} // namespace vpnaas::inventory
