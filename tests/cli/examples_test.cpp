// Every shipped inventory (the bundled one and each under examples/) must
// validate against its committed lock, render, and pass the mesh check.

#include <doctest/doctest.h>

#include "support/paths.hpp"
#include "support/run.hpp"

using namespace vpnaas::test;

namespace {

// Sets every `routeros:` of the inventory's YAML files to `release`, and the
// default too, so every router of it runs that release.
void set_release(const std::filesystem::path& inv, const std::string& release) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(inv)) {
    if (entry.path().extension() != ".yaml") {
      continue;
    }
    std::string text = read_file(entry.path());
    for (auto at = text.find("routeros: "); at != std::string::npos;
         at = text.find("routeros: ", at + 1)) {
      auto end = text.find_first_of(",}\n", at);
      text.replace(at, end - at, "routeros: " + release);
    }
    if (entry.path().filename() == "vpnaas.yaml" && text.find("routeros: ") == std::string::npos) {
      text.replace(text.find("defaults:\n"), 10, "defaults:\n  routeros: " + release + "\n");
    }
    write_file(entry.path(), text);
  }
}

// An inventory with a highly available site (a `vrrp:` block).
bool has_ha_site(const std::filesystem::path& inv) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(inv)) {
    if (entry.path().extension() == ".yaml" &&
        read_file(entry.path()).find("vrrp:") != std::string::npos) {
      return true;
    }
  }
  return false;
}

// The bundled inventory and every folder under examples/.
std::vector<std::filesystem::path> shipped_inventories() {
  std::vector<std::filesystem::path> inventories{source_path("inventory")};
  for (const auto& entry : std::filesystem::directory_iterator(source_path("examples"))) {
    if (entry.is_directory()) {
      inventories.push_back(entry.path());
    }
  }
  return inventories;
}

// A CLI environment of its own: HOME and config under `home`, a fixed key.
std::map<std::string, std::string> cli_env(const TempDir& home) {
  return {{"HOME", home.path().string()},
          {"XDG_CONFIG_HOME", (home.path() / "cfg").string()},
          {"VPNAAS_MASTER_KEY", std::string(64, 'c')},
          {"VPNAAS_INVENTORY", ""}};
}

} // namespace

TEST_CASE("every shipped inventory validates, renders and passes mesh check") {
  const auto inventories = shipped_inventories();
  REQUIRE(inventories.size() >= 3);
  TempDir home;
  const auto env = cli_env(home);
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

// mesh check runs each script twice on the oldest release it declares: a
// fresh import, then a re-import that must change nothing.
TEST_CASE("every shipped inventory imports and re-imports on RouterOS 6 and on RouterOS 7") {
  const auto inventories = shipped_inventories();
  TempDir home;
  const auto env = cli_env(home);
  for (const auto& inv : inventories) {
    for (const std::string release : {"6", "7", "7.16"}) {
      CAPTURE(inv);
      CAPTURE(release);
      TempDir work;
      copy_tree(inv, work.path() / "inv");
      set_release(work.path() / "inv", release);
      auto generate = run_cli({"mesh", "generate", "--locked", "-i", (work.path() / "inv").string(),
                               "--out", (work.path() / "o").string()},
                              env);
      CAPTURE(generate.err);
      if (release == "6" && has_ha_site(inv)) {
        // VRRP is rendered for RouterOS 7 only: validation says so.
        CHECK(generate.exit_code == 1);
        CHECK(generate.err.find("for RouterOS 7 only") != std::string::npos);
        continue;
      }
      REQUIRE(generate.exit_code == 0);
      auto check = run_cli({"mesh", "check", "--out", (work.path() / "o").string()}, env);
      CAPTURE(check.out);
      CAPTURE(check.err);
      CHECK(check.exit_code == 0);
      const std::string needs = release == "6"   ? "RouterOS 6.47"
                                : release == "7" ? "RouterOS 7.1"
                                                 : "RouterOS 7.15";
      CHECK(check.out.find("on the release it needs: " + needs + " or later") != std::string::npos);
    }
  }
}
