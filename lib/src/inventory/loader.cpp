#include <vpnaas/inventory/loader.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <sstream>

#include "load_parts.hpp"

namespace vpnaas::inventory {
namespace {

namespace fs = std::filesystem;
using detail::YamlFile;

bool has_yaml_extension(std::string_view name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  return ends_with(".yaml") || ends_with(".yml");
}

std::string stem_of(std::string_view file_name) {
  auto dot = file_name.rfind('.');
  return std::string(file_name.substr(0, dot));
}

// Parses one YAML document; syntax errors are reported at their position. A
// second document ("---" and more keys) is an error rather than ignored: it
// would silently drop whatever the author put there.
std::optional<YAML::Node> parse_yaml(YamlFile& file, const std::string& text) {
  try {
    std::vector<YAML::Node> documents = YAML::LoadAll(text);
    YAML::Node root = documents.empty() ? YAML::Node() : documents.front();
    for (std::size_t i = 1; i < documents.size(); ++i) {
      if (documents[i].IsNull() || !documents[i].IsDefined()) {
        continue; // a trailing "---" alone holds nothing
      }
      file.error(file.at(documents[i]), "second-document",
                 "the file holds a second YAML document (after a --- line), which vpnaas would "
                 "not read",
                 "merge its keys into the first document or move them to a file of their own, "
                 "and remove the --- line");
      return std::nullopt;
    }
    if (root.IsNull() || !root.IsDefined()) {
      file.error(file.whole_file(), "empty-file", "the file is empty",
                 "write the file's keys, or delete the file");
      return std::nullopt;
    }
    return root;
  } catch (const YAML::Exception& e) {
    SourceLocation where{file.path(), e.mark.line >= 0 ? e.mark.line + 1 : 0,
                         e.mark.column >= 0 ? e.mark.column + 1 : 0};
    file.error(where, "yaml-syntax", fmt::format("YAML syntax error: {}", e.msg),
               "check indentation, colons and brackets on this line and the one before");
    return std::nullopt;
  }
}

// Files that must not sit in an inventory: a typo like "acme.yml~" would
// otherwise be silently ignored and a customer would vanish from the mesh.
void check_layout(const fs::path& display_root, const std::map<std::string, std::string>& files,
                  Diagnostics& diags) {
  for (const auto& [relative, content] : files) {
    fs::path p(relative);
    std::string first = p.begin()->string();
    std::string name = p.filename().string();
    auto depth = std::distance(p.begin(), p.end());
    SourceLocation where{(display_root / p).generic_string(), 0, 0};
    bool allowed = false;
    if (first.front() == '.' || name == ".gitkeep") {
      allowed = true; // git metadata, not inventory content
    } else if (depth == 1) {
      allowed = name == "vpnaas.yaml" || name == "vpnaas.yml" || name == "vpnaas.lock" ||
                name == "README.md" || name == kKnownHostsFileName;
    } else if (depth == 2 && (first == "clusters" || first == "customers")) {
      allowed = has_yaml_extension(name);
    }
    if (!allowed) {
      diags.error(where, "stray-file",
                  fmt::format("unexpected file in the inventory: {}", relative),
                  "vpnaas reads vpnaas.yaml, clusters/*.yaml, customers/*.yaml and known_hosts "
                  "only; rename "
                  "the file to one of those or move it out of the inventory");
    }
  }
}

template <class Entity, class LoadFn>
void load_folder(const fs::path& display_root, const std::map<std::string, std::string>& files,
                 const std::string& folder, const char* kind, Inventory& inv, Diagnostics& diags,
                 std::vector<Entity>& out, LoadFn load) {
  for (const auto& [relative, content] : files) {
    fs::path p(relative);
    if (std::distance(p.begin(), p.end()) != 2 || p.begin()->string() != folder ||
        !has_yaml_extension(p.filename().string())) {
      continue;
    }
    YamlFile file((display_root / p).generic_string(), diags);
    auto root = parse_yaml(file, content);
    if (!root) {
      continue;
    }
    auto entity = load(file, *root, inv);
    if (!entity) {
      continue;
    }
    std::string expected = stem_of(p.filename().string());
    if (entity->name.value != expected) {
      file.error(entity->name.where, "file-name-mismatch",
                 fmt::format("the file is named {} but declares {} \"{}\"", p.filename().string(),
                             kind, entity->name.value),
                 fmt::format("rename the file to {}/{}.yaml or the {} to \"{}\"", folder,
                             entity->name.value, kind, expected));
    }
    out.push_back(std::move(*entity));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Entity& a, const Entity& b) { return a.name.value < b.name.value; });
}

} // namespace

std::optional<Inventory> load_inventory_from(const fs::path& display_root,
                                             const std::map<std::string, std::string>& files,
                                             Diagnostics& diags) {
  check_layout(display_root, files, diags);
  auto global = files.find("vpnaas.yaml");
  auto alternate = files.find("vpnaas.yml");
  if (global == files.end() && alternate == files.end()) {
    diags.error(
        SourceLocation{display_root.generic_string(), 0, 0}, "missing-file",
        fmt::format("{} is not an inventory: it has no vpnaas.yaml", display_root.generic_string()),
        "point --inventory at the folder holding vpnaas.yaml, clusters/ and customers/");
    return std::nullopt;
  }
  if (global != files.end() && alternate != files.end()) {
    diags.error(SourceLocation{(display_root / "vpnaas.yml").generic_string(), 0, 0},
                "duplicate-file", "both vpnaas.yaml and vpnaas.yml exist", "keep one of them");
  }
  if (global == files.end()) {
    global = alternate;
  }

  Inventory inv;
  inv.root = display_root;
  YamlFile file((display_root / global->first).generic_string(), diags);
  if (auto root = parse_yaml(file, global->second)) {
    detail::load_global(file, *root, inv);
  } else {
    inv.crypto.emplace("strong", builtin_strong_suite());
  }
  if (auto pinned = files.find(kKnownHostsFileName); pinned != files.end()) {
    inv.known_hosts = detail::load_known_hosts(
        (display_root / kKnownHostsFileName).generic_string(), pinned->second, diags);
  }
  load_folder(display_root, files, "clusters", "cluster", inv, diags, inv.clusters,
              detail::load_cluster);
  load_folder(display_root, files, "customers", "customer", inv, diags, inv.customers,
              detail::load_customer);
  return inv;
}

std::optional<Inventory> load_inventory(const fs::path& root, Diagnostics& diags) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    bool exists = fs::exists(root, ec);
    diags.io_error(SourceLocation{root.generic_string(), 0, 0}, "missing-inventory",
                   exists
                       ? fmt::format("{} is not a folder", root.generic_string())
                       : fmt::format("inventory folder {} does not exist", root.generic_string()),
                   "pass --inventory DIR with the folder holding vpnaas.yaml");
    return std::nullopt;
  }
  std::map<std::string, std::string> files;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    fs::path relative = it->path().lexically_relative(root);
    std::error_code entry_ec;
    bool directory = it->is_directory(entry_ec);
    if (entry_ec) {
      // A symbolic-link loop or a link to nothing: name the entry, not its folder.
      std::error_code link_ec;
      bool link = it->is_symlink(link_ec);
      diags.io_error(
          SourceLocation{(root / relative).generic_string(), 0, 0}, "unreadable-file",
          fmt::format("cannot read {}: {}", (root / relative).generic_string(), entry_ec.message()),
          link ? "it is a symbolic link: point it at an existing file or remove it"
               : "check the file's permissions");
      continue;
    }
    if (directory) {
      // Git metadata and other hidden folders are not part of the inventory.
      if (relative.filename().string().front() == '.') {
        it.disable_recursion_pending();
        continue;
      }
      // Tried here so that a folder that cannot be listed is named itself;
      // the iterator would fail on entering it and only name the inventory.
      if (DIR* folder = ::opendir(it->path().c_str()); folder != nullptr) {
        ::closedir(folder);
      } else {
        const int err = errno;
        diags.io_error(SourceLocation{(root / relative).generic_string(), 0, 0},
                       "unreadable-folder",
                       fmt::format("cannot list the folder {}: {}",
                                   (root / relative).generic_string(), std::strerror(err)),
                       "check the folder's permissions: vpnaas must be able to list and read it");
        it.disable_recursion_pending();
      }
      continue;
    }
    std::string key = relative.generic_string();
    std::string name = relative.filename().string();
    bool wanted =
        (has_yaml_extension(name) && std::distance(relative.begin(), relative.end()) <= 2) ||
        key == kKnownHostsFileName;
    std::string content;
    if (wanted) {
      std::ifstream in(it->path(), std::ios::binary);
      std::ostringstream buffer;
      buffer << in.rdbuf();
      if (!in) {
        std::error_code link_ec;
        bool dangling = it->is_symlink(link_ec) && !fs::exists(it->path(), link_ec);
        diags.io_error(SourceLocation{(root / relative).generic_string(), 0, 0}, "unreadable-file",
                       fmt::format("cannot read {}", (root / relative).generic_string()),
                       dangling ? "it is a symbolic link to a file that does not exist: point it "
                                  "at an existing file or remove it"
                                : "check the file's permissions");
        continue;
      }
      content = buffer.str();
    }
    files.emplace(std::move(key), std::move(content));
  }
  if (ec) {
    diags.io_error(SourceLocation{root.generic_string(), 0, 0}, "unreadable-file",
                   fmt::format("cannot list {}: {}", root.generic_string(), ec.message()),
                   "check the folder's permissions");
    return std::nullopt;
  }
  return load_inventory_from(root, files, diags);
}

} // namespace vpnaas::inventory
