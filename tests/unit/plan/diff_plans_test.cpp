// diff_plans on hand-made plans: what counts as a change of one item.
#include <vpnaas/plan/diff.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace vpnaas;
using namespace vpnaas::render::routeros;
using vpnaas::plan::ItemChange;
using vpnaas::plan::PropChange;

namespace {

DevicePlan one_item(std::string path, PlanItem item, std::vector<std::string> header = {}) {
  DevicePlan plan;
  plan.header = std::move(header);
  plan.menus.push_back(PlanMenu{std::move(path), "title", {std::move(item)}, false});
  return plan;
}

PlanItem gre(std::string mtu) {
  return PlanItem{
      tag("gre", "a~b"),
      {text("name", "gre-b"), bare("remote-address", "192.0.2.2"), bare("mtu", std::move(mtu))},
      {}};
}

} // namespace

TEST_CASE("diff_plans: identical plans differ in nothing, header and placement aside") {
  auto base = one_item("/interface gre", gre("1400"), {"inventory revision abc"});
  auto head = one_item("/interface gre", gre("1400"), {"inventory revision def"});
  head.menus[0].items[0].before_drop_in = "input";
  CHECK(plan::diff_plans(base, head).empty());
}

TEST_CASE("diff_plans: a changed value is reported with both values, other props are not") {
  auto changes = plan::diff_plans(one_item("/interface gre", gre("1400")),
                                  one_item("/interface gre", gre("1300")));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == ItemChange::Kind::changed);
  CHECK(changes[0].menu == "/interface gre");
  CHECK(changes[0].tag == "vpnaas:gre:a~b");
  REQUIRE(changes[0].props.size() == 1);
  const PropChange& p = changes[0].props[0];
  CHECK(p.name == "mtu");
  CHECK(p.before == "1400");
  CHECK(p.after == "1300");
  CHECK_FALSE(p.secret);
  CHECK_FALSE(p.flag);
}

TEST_CASE("diff_plans: a prop on one side only is a change with the other side empty") {
  PlanItem with = gre("1400");
  with.props.push_back(bare("keepalive", "10s,10"));
  PlanItem without = gre("1400");
  without.props.erase(without.props.begin()); // name
  auto changes =
      plan::diff_plans(one_item("/interface gre", with), one_item("/interface gre", without));
  REQUIRE(changes.size() == 1);
  REQUIRE(changes[0].props.size() == 2);
  // Head's order first, then what only base has, in base's order.
  CHECK(changes[0].props[0].name == "name");
  CHECK(changes[0].props[0].before == "gre-b");
  CHECK_FALSE(changes[0].props[0].after.has_value());
  CHECK(changes[0].props[1].name == "keepalive");
  CHECK(changes[0].props[1].before == "10s,10");
  CHECK_FALSE(changes[0].props[1].after.has_value());
}

TEST_CASE("diff_plans: flags are present or absent") {
  PlanItem passive{tag("ospf-network", "acme:10.0.0.0/24"),
                   {bare("networks", "10.0.0.0/24"), flag("passive")},
                   {}};
  PlanItem active{tag("ospf-network", "acme:10.0.0.0/24"), {bare("networks", "10.0.0.0/24")}, {}};
  const std::string menu = "/routing ospf interface-template";
  CHECK(plan::diff_plans(one_item(menu, passive), one_item(menu, passive)).empty());
  auto changes = plan::diff_plans(one_item(menu, active), one_item(menu, passive));
  REQUIRE(changes.size() == 1);
  REQUIRE(changes[0].props.size() == 1);
  CHECK(changes[0].props[0].name == "passive");
  CHECK(changes[0].props[0].flag);
  CHECK_FALSE(changes[0].props[0].before.has_value());
  CHECK(changes[0].props[0].after == "");
}

TEST_CASE("diff_plans: quoting style alone is no change") {
  PlanItem quoted = gre("1400");
  quoted.props[1] = text("remote-address", "192.0.2.2");
  CHECK(
      plan::diff_plans(one_item("/interface gre", gre("1400")), one_item("/interface gre", quoted))
          .empty());
}

TEST_CASE("diff_plans: items match by menu and tag, the rest is added or removed") {
  DevicePlan base;
  base.menus.push_back(PlanMenu{"/interface gre", "", {gre("1400")}, false});
  base.menus.push_back(PlanMenu{
      "/ip address", "", {{tag("address", "a~c"), {bare("address", "10.0.0.1/30")}, {}}}, false});
  DevicePlan head;
  // Same tag in another menu: a different item on the router.
  head.menus.push_back(PlanMenu{"/interface eoip", "", {gre("1400")}, false});
  head.menus.push_back(PlanMenu{
      "/ip address", "", {{tag("address", "a~c"), {bare("address", "10.0.0.1/30")}, {}}}, false});
  auto changes = plan::diff_plans(base, head);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].kind == ItemChange::Kind::added);
  CHECK(changes[0].menu == "/interface eoip");
  CHECK(changes[0].props.size() == 3);
  for (const auto& p : changes[0].props) {
    CHECK_FALSE(p.before.has_value());
    CHECK(p.after.has_value());
  }
  CHECK(changes[1].kind == ItemChange::Kind::removed);
  CHECK(changes[1].menu == "/interface gre");
  for (const auto& p : changes[1].props) {
    CHECK(p.before.has_value());
    CHECK_FALSE(p.after.has_value());
  }
}

TEST_CASE("diff_plans: a secret is compared on its value and shown hidden") {
  auto identity = [](std::string psk) {
    return PlanItem{
        tag("identity", "a~b"), {text("peer", "vpnaas-b"), secret("secret", std::move(psk))}, {}};
  };
  const std::string menu = "/ip ipsec identity";
  const std::string old_key(64, 'a');
  const std::string new_key(64, 'b');
  CHECK(plan::diff_plans(one_item(menu, identity(old_key)), one_item(menu, identity(old_key)))
            .empty());

  auto changes =
      plan::diff_plans(one_item(menu, identity(old_key)), one_item(menu, identity(new_key)));
  REQUIRE(changes.size() == 1);
  REQUIRE(changes[0].props.size() == 1);
  CHECK(changes[0].props[0].name == "secret");
  CHECK(changes[0].props[0].secret);
  CHECK(changes[0].props[0].before == plan::kHiddenValue);
  CHECK(changes[0].props[0].after == plan::kHiddenValue);

  // Added and removed items hide it too.
  DevicePlan empty;
  for (const auto& all : {plan::diff_plans(empty, one_item(menu, identity(new_key))),
                          plan::diff_plans(one_item(menu, identity(old_key)), empty)}) {
    REQUIRE(all.size() == 1);
    REQUIRE(all[0].props.size() == 2);
    CHECK(all[0].props[1].secret);
    CHECK(all[0].props[1].before.value_or(plan::kHiddenValue) == plan::kHiddenValue);
    CHECK(all[0].props[1].after.value_or(plan::kHiddenValue) == plan::kHiddenValue);
  }
}

TEST_CASE("diff_plans: a value that stops being secret still hides the old one") {
  const std::string menu = "/ip ipsec identity";
  PlanItem before{tag("identity", "a~b"), {secret("secret", "s3cr3t")}, {}};
  PlanItem after{tag("identity", "a~b"), {text("secret", "plain")}, {}};
  auto changes = plan::diff_plans(one_item(menu, before), one_item(menu, after));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].props[0].secret);
  CHECK(changes[0].props[0].before == plan::kHiddenValue);
  CHECK(changes[0].props[0].after == plan::kHiddenValue);
}
