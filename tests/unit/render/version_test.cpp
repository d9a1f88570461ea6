// A device's `routeros:` release decides what its script may use, and every
// script says which release it needs; the strict simulator holds it to that.
#include <vpnaas/routeros/reader.hpp>

#include <doctest/doctest.h>

#include "render_support.hpp"

namespace vpnaas::test {
namespace {

std::map<std::string, std::string> rendered_for(const std::string& release) {
  auto files = synthetic_inventory(3);
  auto& defaults = files.at("vpnaas.yaml");
  defaults.replace(defaults.find("routeros: 7"), 11, "routeros: " + release);
  return render_all(*open_files(files));
}

} // namespace

TEST_CASE("a proposal comment only where the router's release has it (7.15 and later)") {
  for (const auto& [path, script] : rendered_for("7.16")) {
    CAPTURE(path);
    CHECK(script.find("# Needs RouterOS 7.15 or later\n") != std::string::npos);
    CHECK(script.find("# Written for RouterOS 7.16, as the inventory states.\n") !=
          std::string::npos);
    CHECK(script.find("comment=\"vpnaas:proposal:strong\"") != std::string::npos);
    auto profile_add = script.find("/ip ipsec profile add ");
    REQUIRE(profile_add != std::string::npos);
    std::string line = script.substr(profile_add, script.find('\n', profile_add) - profile_add);
    CHECK(line.find("comment=") == std::string::npos);
    routeros::Router at_minimum = router_for(script);
    CHECK(at_minimum.version() == routeros::Version{7, 15, 0});
    run_on(script, at_minimum);
    // One release earlier the same script stops at the proposal comment.
    routeros::Router older(routeros::Version{7, 14, 0});
    auto read = routeros::read_script(script);
    auto run = routeros::run_script(read.commands, older);
    REQUIRE_FALSE(run.ok());
    CHECK(run.error().message.find("/ip ipsec proposal has no property comment before RouterOS "
                                   "7.15 (this router runs 7.14)") != std::string::npos);
  }
  for (const auto& [path, script] : rendered_for("7.14")) {
    CAPTURE(path);
    // The VRF cluster's firewall rules rely on 7.14's matching of VRF
    // interfaces (vrf_test.cpp); site routers use nothing newer than 7.1.
    bool cluster = path.rfind("dc1/", 0) == 0;
    CHECK(script.find(cluster ? "# Needs RouterOS 7.14 or later\n"
                              : "# Needs RouterOS 7.1 or later\n") != std::string::npos);
    CHECK(script.find("vpnaas:proposal:") == std::string::npos);
    routeros::Router oldest(cluster ? routeros::Version{7, 14, 0} : routeros::Version{7, 1, 0});
    run_on(script, oldest);
  }
  for (const auto& [path, script] : rendered_for("7.10")) {
    CAPTURE(path);
    // YAML would read 7.10 as the number 7.1; the inventory keeps the text.
    CHECK(script.find("# Written for RouterOS 7.10, as the inventory states.\n") !=
          std::string::npos);
  }
  for (const auto& [path, script] : rendered_for("7")) {
    CAPTURE(path);
    CHECK(script.find("# Needs RouterOS 7.1 or later\n") != std::string::npos);
    CHECK(script.find("# Written for") == std::string::npos);
  }
  for (const auto& [path, script] : rendered_for("6")) {
    CAPTURE(path);
    CHECK(script.find("# Needs RouterOS 6.47 or later\n") != std::string::npos);
    routeros::Router v6 = router_for(script);
    run_on(script, v6);
  }
}

} // namespace vpnaas::test
