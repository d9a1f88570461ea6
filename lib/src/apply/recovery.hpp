#pragma once

#include <vpnaas/apply/apply.hpp>
#include <vpnaas/core/error.hpp>

#include <string>

namespace vpnaas::apply {

// What a failed or unknown import may have left on the router.
enum class RouterState {
  unchanged,      // the import did not start or stopped at its first line
  partly_changed, // RouterOS rejected a line: the lines before it ran
  unknown,        // cut off, interrupted, connection lost, timed out
};

// The hint of a failed or unknown import: what state the router may be in,
// which backup restores it (local path and the file on the router), the
// revision and run, and the command that applies it again. `line` is the
// rejected line for partly_changed.
std::string recovery_hint(const DeviceResult& result, const Options& options, RouterState state,
                          int line = 0);

// Appends to `error`'s message that the uploaded script `name` could not be
// removed (`why`), and to its hint how to remove it; nothing when `why` is
// empty (it was removed).
void note_leftover_script(Error& error, const std::string& name, const std::string& why);

} // namespace vpnaas::apply
