#pragma once

#include <vpnaas/core/error.hpp>

#include <filesystem>
#include <optional>

namespace vpnaas::apply {

// Where backups go when no folder is chosen, as help texts show it.
inline constexpr const char* kDefaultBackupFolderText =
    "$XDG_STATE_HOME/vpnaas/backups, else ~/.local/state/vpnaas/backups";

// The user's state folder for backups: $XDG_STATE_HOME/vpnaas/backups when
// XDG_STATE_HOME is an absolute path (the XDG Base Directory specification
// ignores a relative one), else $HOME/.local/state/vpnaas/backups. Fails with
// environment when neither variable gives an absolute path.
Result<std::filesystem::path> default_backup_folder();

// The folder apply saves each router's configuration in: `chosen`, or
// default_backup_folder() without one. A backup holds the router's whole
// configuration (secrets included on RouterOS 6), so a folder inside a git
// work tree is refused (environment, naming the folder and the fix) unless git
// ignores it; a machine without git cannot commit it and is not asked.
// Creates nothing: save_backup creates the missing folders, mode 0700.
Result<std::filesystem::path> backup_folder(const std::optional<std::filesystem::path>& chosen);

} // namespace vpnaas::apply
