#include <vpnaas/git/tree.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "process.hpp"

namespace vpnaas::git {
namespace fs = std::filesystem;
namespace {

struct Entry {
  std::string mode;
  std::string type;
  std::string oid;
  std::string path;
};

std::string first_line(std::string text) {
  auto end = text.find('\n');
  if (end != std::string::npos) {
    text.resize(end);
  }
  return text;
}

// What the folder loader reads: YAML files at most one folder deep, the lock
// and the pinned known_hosts. Everything else is only listed, for the
// stray-file check.
bool wanted(std::string_view path) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (path == "vpnaas.lock" || path == "known_hosts") {
    return true;
  }
  auto slashes = std::count(path.begin(), path.end(), '/');
  return slashes <= 1 && (ends_with(".yaml") || ends_with(".yml"));
}

// `git ls-tree -r -z` output: "<mode> <type> <oid>\t<path>\0" per entry.
std::vector<Entry> parse_tree(const std::string& text) {
  std::vector<Entry> entries;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\0', pos);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string_view record(text.data() + pos, end - pos);
    pos = end + 1;
    auto tab = record.find('\t');
    auto s1 = record.find(' ');
    auto s2 = s1 == std::string_view::npos ? s1 : record.find(' ', s1 + 1);
    if (tab == std::string_view::npos || s2 == std::string_view::npos || s2 > tab) {
      continue;
    }
    entries.push_back(Entry{
        std::string(record.substr(0, s1)), std::string(record.substr(s1 + 1, s2 - s1 - 1)),
        std::string(record.substr(s2 + 1, tab - s2 - 1)), std::string(record.substr(tab + 1))});
  }
  return entries;
}

// `git cat-file --batch` output: "<oid> <type> <size>\n<content>\n" per
// object requested, in request order.
Result<std::vector<std::string>> parse_batch(const std::string& text, std::size_t expected) {
  std::vector<std::string> contents;
  std::size_t pos = 0;
  while (contents.size() < expected) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) {
      break;
    }
    std::string_view header(text.data() + pos, eol - pos);
    auto space = header.rfind(' ');
    if (space == std::string_view::npos || header.ends_with(" missing")) {
      break;
    }
    std::size_t size = 0;
    for (char c : header.substr(space + 1)) {
      if (c < '0' || c > '9') {
        return make_error(ErrorCode::internal,
                          fmt::format("unexpected `git cat-file` output: {}", header));
      }
      size = size * 10 + static_cast<std::size_t>(c - '0');
    }
    if (eol + 1 + size > text.size()) {
      break;
    }
    contents.emplace_back(text.substr(eol + 1, size));
    pos = eol + 1 + size + 1;
  }
  if (contents.size() != expected) {
    return make_error(
        ErrorCode::internal,
        fmt::format("`git cat-file` returned {} of {} files", contents.size(), expected),
        "check the repository with `git fsck`");
  }
  return contents;
}

} // namespace

std::string short_commit(const std::string& commit) {
  return commit.substr(0, 12);
}

Result<RevisionFiles> read_inventory_at(const fs::path& inventory_root, const std::string& revision,
                                        const RevisionOption& option) {
  if (revision.empty()) {
    return make_error(ErrorCode::invalid_input, fmt::format("{} needs a git revision", option.flag),
                      fmt::format("pass a commit, branch or tag, e.g. {} HEAD~1", option.flag));
  }
  const std::string shown = inventory_root.generic_string();
  std::error_code ec;
  fs::path root = fs::absolute(inventory_root, ec).lexically_normal();
  if (ec) {
    return make_error(ErrorCode::io, fmt::format("cannot resolve {}: {}", shown, ec.message()));
  }
  if (!root.has_filename()) {
    root = root.parent_path();
  }
  // The folder may have been deleted from the working tree since REV: ask git
  // from the nearest folder that exists and append the rest of the path.
  fs::path anchor = root;
  while (!fs::is_directory(anchor, ec) && anchor.has_relative_path()) {
    anchor = anchor.parent_path();
  }
  fs::path rest = root.lexically_relative(anchor);

  ProcessOutput prefix = run_process("git", {"-C", anchor.string(), "rev-parse", "--show-prefix"});
  if (!prefix.started) {
    return make_error(ErrorCode::io, fmt::format("cannot run git, which {} needs", option.flag),
                      option.no_git_hint);
  }
  if (!prefix.ok()) {
    return make_error(
        ErrorCode::invalid_input,
        fmt::format("{} is not inside a git repository, so revision {} cannot be read ({})", shown,
                    revision, first_line(prefix.err)),
        option.outside_git_hint);
  }
  std::string tree_path = without_trailing_newlines(prefix.out);
  if (!rest.empty() && rest != ".") {
    tree_path += rest.generic_string();
  }
  while (!tree_path.empty() && tree_path.back() == '/') {
    tree_path.pop_back();
  }

  ProcessOutput commit =
      run_process("git", {"-C", anchor.string(), "rev-parse", "--verify", "--quiet",
                          "--end-of-options", revision + "^{commit}"});
  if (!commit.ok() || without_trailing_newlines(commit.out).empty()) {
    return make_error(
        ErrorCode::invalid_input,
        fmt::format("revision {} is not a commit of the repository holding {}", revision, shown),
        "check the name with `git log --oneline`; a CI job on a shallow clone must fetch the "
        "history it compares against, e.g. with fetch-depth: 0");
  }
  RevisionFiles result;
  result.revision = revision;
  result.commit = without_trailing_newlines(commit.out);

  // --full-tree: ls-tree otherwise filters by the directory it runs in.
  const std::string tree = tree_path.empty() ? result.commit : result.commit + ":" + tree_path;
  ProcessOutput listing =
      run_process("git", {"-C", anchor.string(), "ls-tree", "-r", "-z", "--full-tree", tree});
  std::vector<Entry> entries = listing.ok() ? parse_tree(listing.out) : std::vector<Entry>{};
  if (entries.empty()) {
    return make_error(
        ErrorCode::invalid_input,
        fmt::format("the inventory folder {} does not exist at revision {} (commit {})", shown,
                    revision, short_commit(result.commit)),
        fmt::format("check with `git ls-tree {} -- {}`; pick a revision that has the inventory",
                    revision, tree_path.empty() ? "." : tree_path));
  }

  std::string request;
  std::vector<const Entry*> requested;
  for (const Entry& entry : entries) {
    if (entry.type == "blob" && entry.mode == "120000" && wanted(entry.path)) {
      return make_error(
          ErrorCode::invalid_input,
          fmt::format("{}/{} is a symbolic link at revision {}", shown, entry.path, revision),
          "commit the file itself: vpnaas reads regular files from git");
    }
    if (entry.type == "blob" && wanted(entry.path)) {
      request += entry.oid + "\n";
      requested.push_back(&entry);
    } else {
      result.files.emplace(entry.path, std::string());
    }
  }
  if (requested.empty()) {
    return result;
  }
  ProcessOutput blobs = run_process("git", {"-C", anchor.string(), "cat-file", "--batch"}, request);
  if (!blobs.ok()) {
    return make_error(
        ErrorCode::io,
        fmt::format("cannot read files of revision {}: {}", revision, first_line(blobs.err)),
        "check the repository with `git fsck`");
  }
  auto contents = parse_batch(blobs.out, requested.size());
  if (!contents) {
    return contents.error();
  }
  for (std::size_t i = 0; i < requested.size(); ++i) {
    result.files.emplace(requested[i]->path, std::move((*contents)[i]));
  }
  return result;
}

} // namespace vpnaas::git
