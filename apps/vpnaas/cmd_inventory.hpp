#pragma once

// `vpnaas inventory validate|show|prune`. The options CLI11 fills (cli_inventory.cpp) and
// the functions that run the command with them, apart so that this part
// compiles without CLI11.

#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace vpnaas::cli {

struct ShowOptions {
  InventoryOptions inventory;
  std::vector<std::string> customers;
  bool show_secrets = false;
  bool settings = false;
  std::optional<std::string> key_file;
};

int run_validate(const InventoryOptions& options);
int run_show(const ShowOptions& options);
int run_prune(const InventoryOptions& options);

} // namespace vpnaas::cli
