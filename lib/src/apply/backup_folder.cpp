#include <vpnaas/apply/backup_folder.hpp>
#include <vpnaas/git/ignore.hpp>

#include <fmt/format.h>

#include <cstdlib>

namespace vpnaas::apply {
namespace fs = std::filesystem;
namespace {

std::optional<fs::path> absolute_variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0' || fs::path(value).is_relative()) {
    return std::nullopt;
  }
  return fs::path(value);
}

} // namespace

Result<fs::path> default_backup_folder() {
  if (auto state = absolute_variable("XDG_STATE_HOME")) {
    return *state / "vpnaas" / "backups";
  }
  if (auto home = absolute_variable("HOME")) {
    return *home / ".local" / "state" / "vpnaas" / "backups";
  }
  return make_error(ErrorCode::environment,
                    "cannot choose a backup folder: neither XDG_STATE_HOME nor HOME is set to an "
                    "absolute path",
                    "pass --backup-dir with a folder outside any git work tree");
}

Result<fs::path> backup_folder(const std::optional<fs::path>& chosen) {
  fs::path folder;
  if (chosen) {
    folder = *chosen;
  } else {
    auto fallback = default_backup_folder();
    if (!fallback) {
      return fallback.error();
    }
    folder = std::move(*fallback);
  }
  auto status = git::folder_status(folder);
  if (!status) {
    return status.error();
  }
  if (status->place != git::FolderStatus::Place::not_ignored) {
    return folder;
  }
  const fs::path inside = status->folder.lexically_relative(status->work_tree);
  const std::string pattern =
      inside.empty() || inside == "." ? std::string() : "/" + inside.generic_string() + "/";
  return make_error(
      ErrorCode::environment,
      fmt::format("backup folder {} is inside the git work tree {} and git does not ignore it: "
                  "the router configurations saved there (secrets included on RouterOS 6) could "
                  "be committed",
                  folder.string(), status->work_tree.string()),
      pattern.empty()
          ? fmt::format("pass --backup-dir with a folder outside the work tree (the default is "
                        "{})",
                        kDefaultBackupFolderText)
          : fmt::format("add the line {} to {}, or pass --backup-dir with a folder outside the "
                        "work tree (the default is {})",
                        pattern, (status->work_tree / ".gitignore").string(),
                        kDefaultBackupFolderText));
}

} // namespace vpnaas::apply
