// Generated inventories from 2 to 60 sites: the tunnel count, per-device
// uniqueness of interface names and addresses, the whole-mesh consistency
// check, and stability of existing tunnels when a site is added.
#include <vpnaas/mesh/check.hpp>
#include <vpnaas/topology/lock_file.hpp>

#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "render_support.hpp"
#include "support/sanitizer.hpp"

namespace vpnaas::test {
namespace {

TEST_CASE("generated meshes of 2 to 60 sites are complete, unique and consistent") {
  for (int n : {2, 3, 5, 8, 13, 21, 34, 60}) {
    if (kUnderSanitizer && n > 21) {
      MESSAGE("sizes above 21 sites run in the normal build only (support/sanitizer.hpp)");
      break;
    }
    CAPTURE(n);
    auto ws = open_files(synthetic_inventory(n, n % 2 == 0 ? 7 : 6));
    std::size_t sites = static_cast<std::size_t>(n);
    CHECK(ws->tunnels.size() == sites * (sites - 1) / 2 + sites * 2);
    auto scripts = render_all(*ws);
    CHECK(scripts.size() == sites + 2);
    for (const auto& [path, script] : scripts) {
      CAPTURE(path);
      routeros::Router router = router_for(script);
      run_on(script, router);
      std::set<std::string> names;
      std::set<std::string> addresses;
      for (const auto& item : router.items("/interface gre")) {
        CHECK(names.insert(item.props.at("name")).second);
      }
      for (const auto& item : router.items("/ip address")) {
        CHECK(addresses.insert(item.props.at("address")).second);
      }
      std::size_t expected = path.rfind("dc1/", 0) == 0 ? sites : sites + 1;
      CHECK(names.size() == expected);
      CHECK(addresses.size() == expected);
    }
    std::vector<std::pair<std::string, std::string>> files(scripts.begin(), scripts.end());
    auto report = mesh::check_scripts(files);
    for (const auto& p : report.problems) {
      INFO(p.file << " " << p.tunnel << ": " << p.message);
      CHECK(false);
    }
    CHECK(report.tunnels == ws->tunnels.size());
    CHECK(report.one_sided == 0);
  }
}

// The item blocks and wanted-set lines of a script that mention `id`.
std::vector<std::string> lines_of(const std::string& script, const std::string& id) {
  std::vector<std::string> out;
  std::istringstream in(script);
  std::string line;
  std::string block;
  bool in_block = false;
  while (std::getline(in, line)) {
    if (line.rfind(":if ([:len [", 0) == 0 && line.find(id) != std::string::npos) {
      in_block = true;
    }
    if (in_block) {
      block += line + "\n";
      if (line == "}") {
        out.push_back(block);
        block.clear();
        in_block = false;
      }
    } else if (line.find(id) != std::string::npos) {
      out.push_back(line);
    }
  }
  return out;
}

TEST_CASE("adding a site leaves every line of existing tunnels unchanged") {
  auto ws1 = open_files(synthetic_inventory(6));
  auto files2 = synthetic_inventory(7);
  files2["vpnaas.lock"] = topology::render_lock(ws1->allocation.lock);
  auto ws2 = open_files(files2);
  auto v1 = render_all(*ws1);
  auto v2 = render_all(*ws2);
  std::size_t checked = 0;
  for (const auto& [path, script] : v1) {
    CAPTURE(path);
    REQUIRE(v2.count(path) == 1);
    const std::string& after = v2.at(path);
    for (const auto& t : ws1->tunnels) {
      for (const auto& piece : lines_of(script, t.id)) {
        CAPTURE(piece);
        CHECK(after.find(piece) != std::string::npos);
        ++checked;
      }
    }
  }
  CHECK(checked > 100);
}

} // namespace
} // namespace vpnaas::test

namespace vpnaas::test {

// Twice the tunnels must cost a router about twice the work, on a first
// import and on a re-import: no per-item `find` over a whole menu.
TEST_CASE("a router's import work grows linearly with its tunnels") {
  auto work_of = [](int sites) {
    auto scripts = render_all(*open_files(synthetic_inventory(sites)));
    const std::string& script = scripts.at("big/big-s001.rsc");
    routeros::Router router = router_for(script);
    auto first = run_on(script, router);
    auto again = run_on(script, router);
    CHECK(again.total() == 0);
    return std::pair<double, double>(static_cast<double>(first.work),
                                     static_cast<double>(again.work));
  };
  auto [first20, again20] = work_of(20);
  auto [first80, again80] = work_of(80);
  // 21 tunnels against 81: linear is 3.9x; a find per item would be ~15x.
  CAPTURE(first20);
  CAPTURE(first80);
  CAPTURE(again20);
  CAPTURE(again80);
  CHECK(first80 / first20 < 4.6);
  CHECK(again80 / again20 < 4.6);
}

} // namespace vpnaas::test
