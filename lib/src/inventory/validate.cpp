#include <vpnaas/inventory/validate.hpp>

#include "validate_parts.hpp"

namespace vpnaas::inventory {

void validate_inventory(const Inventory& inv, Diagnostics& diags) {
  detail::validate_names(inv, diags);
  detail::validate_addresses(inv, diags);
  detail::validate_crypto(inv, diags);
  detail::validate_tunnels(inv, diags);
  detail::validate_ha(inv, diags);
}

} // namespace vpnaas::inventory
