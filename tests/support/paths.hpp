#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace vpnaas::test {

// tests/data/<relative>
std::filesystem::path data_path(const std::string& relative);
// the repository root (for inventory/ and examples/)
std::filesystem::path source_path(const std::string& relative = {});

// ../shared/<relative> beside the repository (third-party test material that
// a plain clone does not have). When it is absent the calling test is
// skipped with a visible message, unless VPNAAS_REQUIRE_SHARED is set (.ci/run
// sets it), which makes the absence a test failure: CI never skips silently.
std::optional<std::filesystem::path> shared_path(const std::string& relative);

// True when the tests run as root. Otherwise the calling test is skipped with a
// visible message naming `needs` (why it must be root), unless
// VPNAAS_REQUIRE_ROOT_TESTS or VPNAAS_REQUIRE_SHARED is set (CI runs as root
// and sets the latter): then not being root is a test failure.
bool running_as_root(const std::string& needs);

// Whether a test of this process was skipped by shared_path() or
// running_as_root() (test_main.cpp turns that into ctest's skip code).
bool any_test_skipped();

// A fresh empty folder under the system temp dir, removed on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);
// Copies a folder tree (fixtures are copied before a test writes a lock into them).
void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to);
// The permission bits of a file or folder (0600, 0700...); the calling test
// fails when it does not exist.
unsigned file_mode(const std::filesystem::path& path);

} // namespace vpnaas::test
