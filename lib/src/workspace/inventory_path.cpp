#include <vpnaas/workspace/inventory_path.hpp>

#include <cstdlib>

namespace vpnaas {
namespace fs = std::filesystem;

namespace {

// Paths inside the working directory are shown relative to it, so messages
// read "inventory/customers/acme.yaml:12:7" rather than a long absolute path.
fs::path display_path(const fs::path& p) {
  std::error_code ec;
  fs::path absolute = fs::absolute(p, ec).lexically_normal();
  if (ec) {
    return p;
  }
  fs::path relative = absolute.lexically_relative(fs::current_path(ec));
  if (ec || relative.empty() || *relative.begin() == "..") {
    return absolute;
  }
  return relative;
}

bool same_folder(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

} // namespace

InventoryPath resolve_inventory_path(const std::optional<std::string>& flag,
                                     const fs::path& bundled) {
  fs::path chosen = bundled;
  if (flag && !flag->empty()) {
    chosen = *flag;
  } else if (const char* env = std::getenv(kInventoryEnv); env != nullptr && *env != '\0') {
    chosen = env;
  }
  return InventoryPath{display_path(chosen), same_folder(chosen, bundled)};
}

secrets::KeySource key_source_for(const InventoryPath& inventory,
                                  const std::optional<std::string>& key_file) {
  secrets::KeySource source;
  if (key_file && !key_file->empty()) {
    source.key_file = fs::path(*key_file);
  }
  // The demo inventory gets a key of its own so that trying vpnaas out never
  // touches, or depends on, the key of a real inventory.
  source.default_key_file =
      secrets::default_key_path(inventory.bundled ? "bundled-inventory.key" : "master.key");
  source.create_if_missing = inventory.bundled;
  return source;
}

Result<secrets::MasterKey> master_key_for(const InventoryPath& inventory,
                                          const std::optional<std::string>& key_file,
                                          std::optional<fs::path>* created) {
  return secrets::load_master_key(key_source_for(inventory, key_file), created);
}

} // namespace vpnaas
