// Every shipped inventory (the bundled one and each under examples/) must
// validate against its committed lock, render, and pass the mesh check.

#include <doctest/doctest.h>

#include "support/paths.hpp"
#include "support/run.hpp"

using namespace vpnaas::test;

TEST_CASE("every shipped inventory validates, renders and passes mesh check") {
  std::vector<std::filesystem::path> inventories{source_path("inventory")};
  for (const auto& entry : std::filesystem::directory_iterator(source_path("examples"))) {
    if (entry.is_directory()) {
      inventories.push_back(entry.path());
    }
  }
  REQUIRE(inventories.size() >= 3);
  TempDir home;
  std::map<std::string, std::string> env{{"HOME", home.path().string()},
                                         {"XDG_CONFIG_HOME", (home.path() / "cfg").string()},
                                         {"VPNAAS_MASTER_KEY", std::string(64, 'c')},
                                         {"VPNAAS_INVENTORY", ""}};
  for (const auto& inv : inventories) {
    CAPTURE(inv);
    auto validate = run_cli({"inventory", "validate", "--locked", "-i", inv.string()}, env);
    CAPTURE(validate.err);
    CHECK(validate.exit_code == 0);
    TempDir out;
    auto generate = run_cli(
        {"mesh", "generate", "--locked", "-i", inv.string(), "--out", (out.path() / "o").string()},
        env);
    CAPTURE(generate.err);
    CHECK(generate.exit_code == 0);
    auto check = run_cli({"mesh", "check", "--out", (out.path() / "o").string()}, env);
    CAPTURE(check.out);
    CHECK(check.exit_code == 0);
    CHECK(check.out.find(": consistent") != std::string::npos);
  }
}
