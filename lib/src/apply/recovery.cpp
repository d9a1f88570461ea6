#include "recovery.hpp"

#include <vpnaas/device/quoting.hpp>

#include <fmt/format.h>

namespace vpnaas::apply {

std::string recovery_hint(const DeviceResult& result, const Options& options, RouterState state,
                          int line) {
  std::string hint;
  switch (state) {
  case RouterState::unchanged:
    hint = "nothing was changed on the router";
    break;
  case RouterState::partly_changed:
    hint = fmt::format("the router may be partly changed: lines before {} were applied", line);
    break;
  case RouterState::unknown:
    hint = "the router may be partly changed: the import may have stopped anywhere";
    break;
  }
  hint += fmt::format(". The configuration from before this run is saved in {} and on the "
                      "router as {}. This run applied revision {} (run {}). To apply it again: {}",
                      result.backup.string(), result.remote_backup,
                      options.revision.value_or("(not from git)"), options.run_id,
                      options.reapply_command ? options.reapply_command(result.device)
                                              : std::string("run the same apply again"));
  return hint;
}

void note_leftover_script(Error& error, const std::string& name, const std::string& why) {
  if (why.empty()) {
    return;
  }
  error.message += fmt::format("; and {} (it holds the router's pre-shared keys) could not be "
                               "removed: {}",
                               name, why);
  error.hint +=
      fmt::format(". Remove {} on the router: /file remove {}", name, device::quote(name));
}

} // namespace vpnaas::apply
