#include <vpnaas/render/routeros/plan.hpp>
#include <vpnaas/render/routeros/plan_digest.hpp>

#include <doctest/doctest.h>

#include <algorithm>

#include "render_support.hpp"
#include "support/paths.hpp"

using namespace vpnaas;
using namespace vpnaas::render;
namespace rr = vpnaas::render::routeros;

namespace {

rr::DevicePlan plan_for(const Workspace& ws, std::optional<std::string> revision) {
  static const secrets::MasterKey key = test::fixed_key();
  RenderInput input{ws.inventory, ws.tunnels, ws.allocation.lock, key, std::move(revision)};
  auto refs = index_devices(ws.inventory, ws.tunnels);
  auto model = build_device_model(refs.front(), input);
  REQUIRE(model.ok());
  return rr::build_plan(*model, input);
}

} // namespace

TEST_CASE("the plan digest ignores the revision line and nothing else") {
  auto ws = test::open_fixture(test::data_path("render/small7"));
  auto plan = plan_for(*ws, std::string("abc123"));
  const std::string digest = rr::plan_digest(plan);
  CHECK(digest.size() == 64);
  CHECK(rr::plan_digest(plan_for(*ws, std::string("def456"))) == digest);
  CHECK(rr::plan_digest(plan_for(*ws, std::nullopt)) == digest);

  auto changed = plan;
  changed.menus.back().items.back().props.back().value += "x";
  CHECK(rr::plan_digest(changed) != digest);
  changed = plan;
  changed.menus.front().items.front().keep_last = !changed.menus.front().items.front().keep_last;
  CHECK(rr::plan_digest(changed) != digest);
  changed = plan;
  changed.header.front() += " ";
  CHECK(rr::plan_digest(changed) != digest);
  changed = plan;
  // Moving a property between two items changes the digest although the
  // concatenation of all values would not.
  auto menu = std::find_if(changed.menus.begin(), changed.menus.end(),
                           [](const rr::PlanMenu& m) { return m.items.size() >= 2; });
  REQUIRE(menu != changed.menus.end());
  auto moved = menu->items[0].props.back();
  menu->items[0].props.pop_back();
  menu->items[1].props.insert(menu->items[1].props.begin(), moved);
  CHECK(rr::plan_digest(changed) != digest);
}
