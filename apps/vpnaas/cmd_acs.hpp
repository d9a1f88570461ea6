#pragma once

// `vpnaas acs credentials`. The options CLI11 fills (cli_acs.cpp) and the
// function that runs the command with them, apart so that this part compiles
// without CLI11.

#include <optional>
#include <string>

#include "options.hpp"

namespace vpnaas::cli {

struct AcsCredentialsOptions {
  std::string serial;
  std::optional<std::string> key_file;
  std::string format = "text";
  InventoryOptions inventory; // whose master key
};

int run_acs_credentials(const AcsCredentialsOptions& options);

} // namespace vpnaas::cli
