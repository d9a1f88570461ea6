#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/secrets/master_key.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace vpnaas {

inline constexpr const char* kInventoryEnv = "VPNAAS_INVENTORY";

struct InventoryPath {
  std::filesystem::path path; // as shown to the user (relative to cwd when inside it)
  bool bundled = false;       // the inventory shipped in the repository
};

// --inventory when given, else $VPNAAS_INVENTORY, else the bundled inventory.
InventoryPath resolve_inventory_path(const std::optional<std::string>& flag,
                                     const std::filesystem::path& bundled);

// Where an inventory's master key comes from: --key-file, else
// $VPNAAS_MASTER_KEY, else the default key file (bundled-inventory.key for
// the bundled inventory, master.key otherwise). The one answer that
// master_key_for, `vpnaas key path` and `vpnaas key generate` share.
secrets::KeySource key_source_for(const InventoryPath& inventory,
                                  const std::optional<std::string>& key_file);

// The master key for an inventory: --key-file, else $VPNAAS_MASTER_KEY, else
// the default key file (a separate one for the bundled inventory, which is
// created on first use; `created` then receives its path). Fails with
// missing_secret and a hint listing the ways to provide a key.
Result<secrets::MasterKey> master_key_for(const InventoryPath& inventory,
                                          const std::optional<std::string>& key_file,
                                          std::optional<std::filesystem::path>* created);

} // namespace vpnaas
