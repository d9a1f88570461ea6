#pragma once

// `vpnaas key generate|path`. The options CLI11 fills (cli_key.cpp) and
// the functions that run the command with them, apart so that this part
// compiles without CLI11.

#include <string>

#include "options.hpp"

namespace vpnaas::cli {

// Option values outlive set_key_command: CLI11 runs the callbacks later.
struct KeyOptions {
  std::string key_file;
  bool force = false;
  std::string format = "text";
  InventoryOptions inventory; // whose key: the bundled inventory has a key of its own
};

int run_generate(const KeyOptions& options);
int run_path(const KeyOptions& options);

} // namespace vpnaas::cli
