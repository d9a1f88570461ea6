#include <vpnaas/plan/diff.hpp>

#include <doctest/doctest.h>

#include "plan_support.hpp"

using namespace vpnaas;
using namespace vpnaas::test;

TEST_CASE("changed_routers: what apply --changed-since reaches") {
  // base: acme s000..s003; head: s001..s004 (s000 leaves, s004 joins).
  auto base = open_files(three_customers(sites(4)));
  auto head = open_files(with_lock_of(three_customers(sites(4, 1)), *base));
  auto changed = plan::changed_routers(*base, *head);
  REQUIRE(changed);
  CHECK(changed->to_apply == std::set<std::string>{"acme-s001", "acme-s002", "acme-s003",
                                                   "acme-s004", "dc1-r1", "dc1-r2"});
  CHECK(changed->gone == std::vector<std::string>{"acme-s000"});
  CHECK(changed->unchanged == 5); // beta's two, gamma's two, dc2-r1

  auto same = plan::changed_routers(*base, *base);
  REQUIRE(same);
  CHECK(same->to_apply.empty());
  CHECK(same->gone.empty());
  CHECK(same->unchanged == 11); // 3 cluster routers, 8 sites
}
