// Golden files for the small fixture inventories on RouterOS 7 and 6.
// Regenerate after an intended change with:
//   VPNAAS_UPDATE_GOLDEN=1 build/<dir>/tests/test_unit_render -tc='golden*'
// and review the diff of tests/golden/ before committing it. Only exactly
// `1` rewrites: a `VPNAAS_UPDATE_GOLDEN=0` left in a CI environment must not
// turn every comparison into a silent pass.
#include <doctest/doctest.h>

#include <cstdlib>
#include <set>
#include <sstream>
#include <string_view>

#include "render_support.hpp"
#include "support/paths.hpp"

namespace vpnaas::test {
namespace {

std::string first_difference(const std::string& want, const std::string& got) {
  std::istringstream a(want);
  std::istringstream b(got);
  std::string x;
  std::string y;
  for (int line = 1;; ++line) {
    bool more_a = static_cast<bool>(std::getline(a, x));
    bool more_b = static_cast<bool>(std::getline(b, y));
    if (!more_a && !more_b) {
      return "identical";
    }
    if (x != y || more_a != more_b) {
      return "line " + std::to_string(line) + "\n  golden: " + x + "\n  now:    " + y;
    }
  }
}

struct Golden {
  const char* fixture;    // tests/data/render/<fixture>
  const char* golden_dir; // tests/golden/<golden_dir>
};

// Every fixture compared with golden files; the orphan test below reads it too.
constexpr Golden kGoldens[] = {
    {"small7", "routeros7"}, {"small6", "routeros6"}, {"ha7", "routeros7-ha"}};

bool update_requested() {
  const char* value = std::getenv("VPNAAS_UPDATE_GOLDEN");
  return value != nullptr && std::string_view(value) == "1";
}

// The golden files a fixture is compared with, and what they should hold.
std::map<std::filesystem::path, std::string> expected(const Golden& golden) {
  std::map<std::filesystem::path, std::string> files;
  for (auto& [path, text] :
       render_all(*open_fixture(data_path(std::string("render/") + golden.fixture)))) {
    files[source_path("tests/golden") / golden.golden_dir / path] = std::move(text);
  }
  return files;
}

void check_golden(const Golden& wanted) {
  const bool update = update_requested();
  const auto files = expected(wanted);
  REQUIRE_FALSE(files.empty());
  for (const auto& [golden, text] : files) {
    CAPTURE(golden.string());
    if (update) {
      std::filesystem::create_directories(golden.parent_path());
      write_file(golden, text);
      MESSAGE("rewrote " << golden.string() << ": review its diff before committing");
      continue;
    }
    REQUIRE(std::filesystem::exists(golden));
    std::string want = read_file(golden);
    INFO(first_difference(want, text));
    CHECK(want == text);
  }
}

TEST_CASE("golden: RouterOS 7 scripts of the small fixture") {
  check_golden(kGoldens[0]);
}

TEST_CASE("golden: RouterOS 6 scripts of the small fixture") {
  check_golden(kGoldens[1]);
}

TEST_CASE("golden: RouterOS 7 scripts of the HA fixture") {
  check_golden(kGoldens[2]);
}

TEST_CASE("golden: every file under tests/golden is compared by a test") {
  std::set<std::filesystem::path> compared;
  for (const auto& golden : kGoldens) {
    for (const auto& [path, text] : expected(golden)) {
      compared.insert(path);
    }
  }
  std::size_t listed = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(source_path("tests/golden"))) {
    if (!entry.is_directory()) {
      ++listed;
      CHECK_MESSAGE(compared.count(entry.path()) == 1,
                    entry.path().string()
                        << " is compared by no test: delete it, or render it from a fixture "
                           "in kGoldens (golden_test.cpp)");
    }
  }
  CHECK(listed == compared.size());
}

TEST_CASE("golden: only VPNAAS_UPDATE_GOLDEN=1 rewrites golden files") {
  const char* before = std::getenv("VPNAAS_UPDATE_GOLDEN");
  const std::string saved = before != nullptr ? before : "";
  for (const char* value : {"0", "", "true", "yes", "01", "1 "}) {
    CAPTURE(value);
    setenv("VPNAAS_UPDATE_GOLDEN", value, 1);
    CHECK_FALSE(update_requested());
  }
  unsetenv("VPNAAS_UPDATE_GOLDEN");
  CHECK_FALSE(update_requested());
  setenv("VPNAAS_UPDATE_GOLDEN", "1", 1);
  CHECK(update_requested());
  if (before != nullptr) {
    setenv("VPNAAS_UPDATE_GOLDEN", saved.c_str(), 1);
  } else {
    unsetenv("VPNAAS_UPDATE_GOLDEN");
  }
}

} // namespace
} // namespace vpnaas::test
