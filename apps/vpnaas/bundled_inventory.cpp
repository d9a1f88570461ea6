#include "bundled_inventory.hpp"

#ifndef VPNAAS_BUNDLED_INVENTORY
#error "VPNAAS_BUNDLED_INVENTORY must be set by the build"
#endif
#ifndef VPNAAS_INSTALLED_INVENTORY
#error "VPNAAS_INSTALLED_INVENTORY must be set by the build"
#endif

namespace vpnaas::cli {
namespace fs = std::filesystem;

fs::path bundled_inventory() {
  // Looked up relative to the running binary rather than at a fixed /usr path,
  // so a package installed under another prefix (or a staged `cmake --install`)
  // finds its own copy, and a build tree, which has no such copy, keeps using
  // the source tree that ./scripts/vpnaas and the tests rely on.
  static const fs::path chosen = [] {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
      fs::path installed = (exe.parent_path() / VPNAAS_INSTALLED_INVENTORY).lexically_normal();
      if (fs::is_directory(installed, ec)) {
        return installed;
      }
    }
    return fs::path(VPNAAS_BUNDLED_INVENTORY);
  }();
  return chosen;
}

} // namespace vpnaas::cli
