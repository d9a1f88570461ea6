#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/render/routeros/converge.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace vpnaas::render {

// Streams one output file: buffered writes to a descriptor opened with mode
// 0600 (the scripts hold pre-shared keys). Write errors are kept and
// reported by close().
class FileSink : public routeros::ScriptSink {
public:
  FileSink(int fd, std::filesystem::path path);
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  void write(std::string_view text) override;
  // Flushes and closes; fails with io naming the file when any write failed.
  Status close();
  std::uint64_t bytes() const { return m_bytes; }

private:
  void flush();

  int m_fd;
  std::filesystem::path m_path;
  std::string m_buffer;
  std::uint64_t m_bytes = 0;
  int m_errno = 0;
};

// Builds a new output tree in a temporary folder next to the destination
// and swaps it in with one rename, so readers see the old tree or the new
// one, never a mix, and a failed run leaves the old tree untouched. The tree
// is marked with a `.vpnaas-output` file; an existing destination without
// that mark is refused rather than replaced. Folders are 0700, files 0600.
class OutputTree {
public:
  // Creates the temporary folder. Fails with io when the destination exists
  // and is not a vpnaas output folder, or when the parent is not writable.
  static Result<std::unique_ptr<OutputTree>> begin(const std::filesystem::path& destination);
  ~OutputTree(); // removes the temporary folder unless committed
  OutputTree(const OutputTree&) = delete;
  OutputTree& operator=(const OutputTree&) = delete;

  // Opens `relative` ("acme/r1.rsc") for writing inside the new tree.
  Result<std::unique_ptr<FileSink>> create(const std::string& relative);
  // Carries the files of the previous tree listed in `keep` (relative paths,
  // as read_previous_tree found them)
  // over unchanged, for runs that render only some devices; every other file
  // of the previous tree, such as a router since removed from the inventory,
  // is dropped with it.
  Status keep_previous(const std::set<std::string>& keep);
  // Writes the manifest: for each script (relative path), the digest of what
  // it was written from (routeros::plan_digest).
  Status write_manifest(const std::map<std::string, std::string>& digests);
  // Swaps the new tree in and deletes the old one.
  Status commit();

  const std::filesystem::path& destination() const { return m_destination; }

private:
  OutputTree(std::filesystem::path destination, std::filesystem::path temp)
      : m_destination(std::move(destination)), m_temp(std::move(temp)) {}

  std::filesystem::path m_destination;
  std::filesystem::path m_temp;
  bool m_committed = false;
};

inline constexpr const char* kOutputMarker = ".vpnaas-output";
inline constexpr const char* kOutputManifest = ".vpnaas-manifest";

// What an earlier run left at a destination: its files (relative paths, the
// marker and manifest excepted) and the digests its manifest records. Empty
// when the destination is missing or not a vpnaas output folder; a file the
// manifest does not list (or a tree written before manifests) has no digest.
struct PreviousTree {
  std::set<std::string> files;
  std::map<std::string, std::string> digests;
};
PreviousTree read_previous_tree(const std::filesystem::path& destination);

} // namespace vpnaas::render
