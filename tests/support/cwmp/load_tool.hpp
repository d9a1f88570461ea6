#pragma once

// Where the build put tests/tools/cpe_load, the load generator of
// scripts/bench-acs.sh, for its smoke test.

#include <string>

namespace vpnaas::test {

std::string cpe_load_path();

} // namespace vpnaas::test
