#pragma once

// The checks of validate_inventory, one concern per file.

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/inventory/model.hpp>

namespace vpnaas::inventory::detail {

// Duplicate names, public IPs, router IDs and serials; unknown cluster references.
void validate_names(const Inventory& inv, Diagnostics& diags);
// Overlapping LANs, cluster networks and pools; pool capacity.
void validate_addresses(const Inventory& inv, Diagnostics& diags);
// Unknown or weak crypto suites and algorithms.
void validate_crypto(const Inventory& inv, Diagnostics& diags);
// Highly available sites: the VRRP address inside the LAN, unique VRIDs per
// customer, RouterOS 7 on both routers.
void validate_ha(const Inventory& inv, Diagnostics& diags);
// Tunnel overrides, settings both ends of a tunnel must agree on, size warnings.
void validate_tunnels(const Inventory& inv, Diagnostics& diags);

// Tunnels a customer needs: n(n-1)/2 for a full mesh plus n per cluster router.
std::uint64_t tunnel_count(const Inventory& inv, const Customer& customer);

} // namespace vpnaas::inventory::detail
