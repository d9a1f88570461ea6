#pragma once

#include <filesystem>

namespace vpnaas::cli {

// The demo inventory: the installed copy beside the binary (an installed
// package has no source tree), else the source tree this binary was built from.
std::filesystem::path bundled_inventory();

} // namespace vpnaas::cli
