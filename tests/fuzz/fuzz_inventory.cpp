// libFuzzer target for the inventory loader, validation, the lock parser and
// open_workspace, all fed from memory so that no input touches the disk.
//
// Input format: one input holds several inventory files, split at header
// lines exactly as `tail -n +1 FILE...` prints them:
//
//   <vpnaas.yaml text>          bytes before the first header are vpnaas.yaml
//   ==> clusters/dc1.yaml <==
//   <text>
//   ==> customers/acme.yaml <==
//   <text>
//   ==> vpnaas.lock <==
//   <text>
//
// so a seed is made from any inventory folder with
// `tail -n +1 vpnaas.yaml clusters/*.yaml customers/*.yaml vpnaas.lock`.
// The fuzzer picks the file names too, which reaches cross-file validation
// (duplicates, overlaps, unknown clusters), stray files and file-name
// mismatches. A later header with the same name replaces the earlier file.
// Names no folder or git tree can hold (empty, absolute, with an empty, "." or
// ".." component, or a NUL byte) are outside the loader's contract and are
// dropped.

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/topology/lock_file.hpp>
#include <vpnaas/workspace/workspace.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kHeadOpen = "==> ";
constexpr std::string_view kHeadClose = " <==";

bool is_relative_file_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find('\0') != std::string_view::npos) {
    return false;
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t slash = name.find('/', start);
    std::string_view part =
        name.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (part.empty() || part == "." || part == "..") {
      return false;
    }
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  return true;
}

// The header's file name when `line` is a header, else empty.
std::string_view header_name(std::string_view line) {
  if (line.size() <= kHeadOpen.size() + kHeadClose.size() || !line.starts_with(kHeadOpen) ||
      !line.ends_with(kHeadClose)) {
    return {};
  }
  return line.substr(kHeadOpen.size(), line.size() - kHeadOpen.size() - kHeadClose.size());
}

std::map<std::string, std::string> split_files(std::string_view input) {
  std::map<std::string, std::string> files;
  std::string name = "vpnaas.yaml";
  std::string content;
  auto flush = [&] {
    if (is_relative_file_name(name)) {
      files[name] = std::move(content);
    }
    content.clear();
  };
  while (!input.empty()) {
    std::size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
    if (auto next = header_name(line); !next.empty()) {
      flush();
      name = std::string(next);
      continue;
    }
    content.append(line);
    if (end != std::string_view::npos) {
      content.push_back('\n');
    }
  }
  flush();
  return files;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto files = split_files(input);

  // open_workspace reads the lock only for a valid inventory; the parser
  // must hold up on its own too.
  if (auto lock = files.find(vpnaas::topology::kLockFileName); lock != files.end()) {
    vpnaas::Diagnostics diags;
    (void)vpnaas::topology::parse_lock(lock->second, "inventory/vpnaas.lock", diags);
  }

  vpnaas::WorkspaceOptions options;
  options.root = "inventory";
  options.files = std::move(files);
  auto ws = vpnaas::open_workspace(options);
  if (ws) {
    for (const auto& d : (*ws)->diagnostics.sorted()) {
      (void)vpnaas::format_diagnostic(d);
    }
  }
  return 0;
}
