#include <vpnaas/git/revision.hpp>
#include <vpnaas/workspace/open.hpp>

#include <fmt/format.h>

namespace vpnaas {

OpenedWorkspace open_inventory(const OpenRequest& request) {
  OpenedWorkspace opened;
  opened.path = resolve_inventory_path(request.inventory, request.bundled);
  WorkspaceOptions ws_options;
  ws_options.root = opened.path.path;
  ws_options.locked = request.locked;
  ws_options.write_lock = request.write_lock;
  ws_options.allow_mass_removal = request.allow_mass_removal;
  if (request.rev) {
    auto files = git::read_inventory_at(opened.path.path, *request.rev, request.rev_option);
    if (!files) {
      opened.error = files.error();
      return opened;
    }
    opened.rev = request.rev;
    opened.commit = files->commit;
    // Diagnostics then read "HEAD~1:inventory/customers/acme.yaml:3:5", as git names a
    // file at a revision.
    ws_options.root = fmt::format("{}:{}", *request.rev, opened.path.path.generic_string());
    ws_options.files = std::move(files->files);
  }
  auto ws = open_workspace(ws_options);
  if (!ws) {
    opened.error = ws.error();
  } else {
    opened.workspace = std::move(*ws);
  }
  return opened;
}

OpenRequest side_request(const OpenRequest& base, const std::optional<std::string>& rev,
                         const git::RevisionOption& rev_option) {
  OpenRequest side = base;
  side.rev = rev;
  side.rev_option = rev_option;
  side.write_lock = false;
  side.locked = base.locked && !rev;
  side.allow_mass_removal = true;
  return side;
}

std::string inventory_label(const OpenedWorkspace& opened) {
  if (opened.rev && opened.commit) {
    return fmt::format("{} at {} (commit {})", opened.path.path.generic_string(), *opened.rev,
                       git::short_commit(*opened.commit));
  }
  return opened.path.path.generic_string();
}

std::optional<std::string> revision_of(const OpenedWorkspace& opened) {
  if (opened.commit) {
    return opened.commit;
  }
  return git::describe_head(opened.path.path);
}

secrets::KeySource key_source_for(const OpenRequest& request,
                                  const std::optional<std::string>& key_file) {
  return key_source_for(resolve_inventory_path(request.inventory, request.bundled), key_file);
}

Result<secrets::MasterKey> master_key_for(const OpenedWorkspace& opened,
                                          const std::optional<std::string>& key_file,
                                          std::optional<std::filesystem::path>* created) {
  return master_key_for(opened.path, key_file, created);
}

} // namespace vpnaas
