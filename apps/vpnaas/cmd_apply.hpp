#pragma once

// `vpnaas apply`: push each selected router's script over SSH, or queue it on
// the ACS for a router managed over CWMP. The options CLI11 fills
// (cli_apply.cpp) and the functions that run the command with them, apart so that this part
// compiles without CLI11.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"
#include "ssh_options.hpp"

namespace vpnaas::cli {

struct ApplyCliOptions {
  InventoryOptions inventory;
  SshCliOptions ssh;
  std::string via;                // empty: each device's `management:` key decides
  std::optional<std::string> acs; // --acs, for the devices reached over CWMP
  std::optional<double> wait;     // --wait [SECONDS]: 0 when given without a value
  std::vector<std::string> devices;
  std::vector<std::string> customers;
  std::size_t parallel = 10;
  std::optional<std::string> backup_dir; // default: apply::default_backup_folder()
  std::size_t keep_backups = 5;
  double lock_wait_seconds = 60;
  std::optional<std::string> key_file;
  std::optional<std::string> changed_since;
};

// Seconds `apply --wait` without a value waits for CWMP routers.
inline constexpr double kDefaultApplyWait = 600;

int run_apply(const ApplyCliOptions& options);

} // namespace vpnaas::cli
