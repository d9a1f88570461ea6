#pragma once

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/core/error.hpp>

namespace vpnaas::cli {

// Exit codes scripts can rely on; README.md documents the same table.
enum ExitCode : int {
  kExitOk = 0,
  kExitInvalid = 1,       // the inventory (or another input) is wrong, or an operation failed
  kExitUsage = 2,         // bad command line
  kExitLockOutOfDate = 3, // --locked and the lock file would change
  kExitRuntime = 4,       // I/O, missing master key, other environment problems
  kExitDeclined = 5,      // the user answered no to a confirmation: nothing was done
  kExitChanges = 10,      // `plan`: there are changes to apply
};

int exit_code_for(ErrorCode code);
// For an inventory with errors: 4 when a file or folder could not be read
// (Diagnostic::io), else 1.
int exit_code_for(const Diagnostics& diags);

} // namespace vpnaas::cli
