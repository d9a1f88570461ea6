// Every bad_* fixture under tests/data/inventory holds one human mistake; its
// .expected file holds the exact diagnostics (file:line:column, sentence, fix)
// that validation must print. Adding a rule means adding a fixture folder.

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/workspace/workspace.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "support/paths.hpp"

namespace fs = std::filesystem;
using namespace vpnaas;

namespace {

std::string validate_fixture(const std::string& name, std::set<std::string>* codes = nullptr) {
  // Relative display root, so messages read "bad_x/customers/acme.yaml:..."
  // exactly as the CLI prints them when run from tests/data/inventory.
  fs::path previous = fs::current_path();
  fs::current_path(test::data_path("inventory"));
  WorkspaceOptions options;
  options.root = name;
  options.write_lock = false;
  auto ws = open_workspace(options);
  fs::current_path(previous);
  REQUIRE(ws.ok());
  std::string out;
  for (const auto& d : (*ws)->diagnostics.sorted()) {
    out += format_diagnostic(d) + "\n";
    if (codes != nullptr) {
      codes->insert(d.code);
    }
  }
  return out;
}

std::vector<std::string> fixtures(const std::string& prefix) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(test::data_path("inventory"))) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.rfind(prefix, 0) == 0) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

} // namespace

TEST_CASE("every bad fixture reports exactly its expected diagnostics") {
  auto names = fixtures("bad_");
  REQUIRE(names.size() >= 30);
  std::set<std::string> codes;
  for (const auto& name : names) {
    CAPTURE(name);
    fs::path expected_path = test::data_path("inventory/" + name + ".expected");
    REQUIRE_MESSAGE(fs::exists(expected_path), "missing " << expected_path);
    std::string actual = validate_fixture(name, &codes);
    CHECK(actual == test::read_file(expected_path));
    CHECK(actual.find(": error: ") != std::string::npos);
  }
  // Each rule of spec/inventory.md "What validation must catch" has a fixture.
  for (const char* code :
       {"yaml-syntax", "unknown-key", "wrong-type", "missing-key", "duplicate-name",
        "duplicate-address", "unknown-cluster", "invalid-prefix", "invalid-address", "overlap",
        "pool-too-small", "pool-overlap", "weak-crypto", "unsafe-value", "invalid-name",
        "stray-file", "duplicate-key", "file-name-mismatch", "unknown-crypto"}) {
    CAPTURE(code);
    CHECK(codes.count(code) == 1);
  }
}

TEST_CASE("good fixtures validate without errors and their locks are current") {
  for (const auto& name : fixtures("good_")) {
    CAPTURE(name);
    WorkspaceOptions options;
    options.root = test::data_path("inventory/" + name);
    options.locked = true;
    auto ws = open_workspace(options);
    REQUIRE(ws.ok());
    CHECK_FALSE((*ws)->diagnostics.has_errors());
    CHECK_FALSE((*ws)->tunnels.empty());
  }
}

TEST_CASE("allow-weak turns weak crypto into warnings") {
  std::string out = validate_fixture("good_weak_allowed");
  CHECK(out.find("warning: crypto suite \"legacy\" uses weak ike hash \"sha1\" (allowed by "
                 "allow-weak)") != std::string::npos);
  CHECK(out.find("error") == std::string::npos);
}
