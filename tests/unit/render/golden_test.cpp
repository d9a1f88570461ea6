// Golden files for the small fixture inventories on RouterOS 7 and 6.
// Regenerate after an intended change with:
//   VPNAAS_UPDATE_GOLDEN=1 build/<dir>/tests/test_unit_render -tc='golden*'
// and review the diff of tests/golden/ before committing it.
#include <doctest/doctest.h>

#include <cstdlib>
#include <sstream>

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

void check_golden(const std::string& fixture, const std::string& golden_dir) {
  auto scripts = render_all(*open_fixture(data_path("render/" + fixture)));
  bool update = std::getenv("VPNAAS_UPDATE_GOLDEN") != nullptr;
  for (const auto& [path, text] : scripts) {
    auto golden = source_path("tests/golden/" + golden_dir) / path;
    CAPTURE(golden.string());
    if (update) {
      std::filesystem::create_directories(golden.parent_path());
      write_file(golden, text);
      continue;
    }
    REQUIRE(std::filesystem::exists(golden));
    std::string want = read_file(golden);
    INFO(first_difference(want, text));
    CHECK(want == text);
  }
}

TEST_CASE("golden: RouterOS 7 scripts of the small fixture") {
  check_golden("small7", "routeros7");
}

TEST_CASE("golden: RouterOS 6 scripts of the small fixture") {
  check_golden("small6", "routeros6");
}

} // namespace
} // namespace vpnaas::test
