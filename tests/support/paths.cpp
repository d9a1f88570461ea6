#include "support/paths.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace vpnaas::test {
namespace {

bool g_skipped = false;

} // namespace

bool any_test_skipped() {
  return g_skipped;
}

std::filesystem::path data_path(const std::string& relative) {
  return std::filesystem::path(VPNAAS_TEST_DATA_DIR) / relative;
}

std::filesystem::path source_path(const std::string& relative) {
  return relative.empty() ? std::filesystem::path(VPNAAS_SOURCE_DIR)
                          : std::filesystem::path(VPNAAS_SOURCE_DIR) / relative;
}

std::optional<std::filesystem::path> shared_path(const std::string& relative) {
  auto path = source_path("../shared") / relative;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return path;
  }
  const char* required = std::getenv("VPNAAS_REQUIRE_SHARED");
  if (required != nullptr && *required != '\0') {
    FAIL("missing " << path.string()
                    << ": this test needs the shared material beside the repository, and "
                       "VPNAAS_REQUIRE_SHARED is set");
  }
  g_skipped = true;
  MESSAGE("skipped: " << path.string()
                      << " is not there (a plain clone has no ../shared); set "
                         "VPNAAS_REQUIRE_SHARED=1 to make this a failure");
  return std::nullopt;
}

bool running_as_root(const std::string& needs) {
  if (::geteuid() == 0) {
    return true;
  }
  for (const char* name : {"VPNAAS_REQUIRE_ROOT_TESTS", "VPNAAS_REQUIRE_SHARED"}) {
    const char* required = std::getenv(name);
    if (required != nullptr && *required != '\0') {
      FAIL("not root: this test needs root (" << needs << "), and " << std::string(name)
                                              << " is set");
    }
  }
  g_skipped = true;
  MESSAGE("skipped: not root, and this test needs root ("
          << needs << "); set VPNAAS_REQUIRE_ROOT_TESTS=1 to make this a failure");
  return false;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "vpnaas-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  m_path = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error(fmt::format("cannot read {}", path.string()));
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    throw std::runtime_error(fmt::format("cannot write {}", path.string()));
  }
}

void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::create_directories(to);
  std::filesystem::copy(from, to,
                        std::filesystem::copy_options::recursive |
                            std::filesystem::copy_options::overwrite_existing);
}

unsigned file_mode(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777U;
}

} // namespace vpnaas::test
