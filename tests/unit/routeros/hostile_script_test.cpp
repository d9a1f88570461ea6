// Scripts that once crashed, hung or exhausted memory in the reader or the
// simulator (found by reading the code for tests/fuzz): each must now fail
// cleanly or run, never crash.
#include <vpnaas/routeros/reader.hpp>
#include <vpnaas/routeros/simulator.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "run_script_text.hpp"

namespace vpnaas::test {
namespace {

using routeros::Router;
using routeros::RunLimits;

bool fails_with(const Result<routeros::RunStats>& result, const std::string& words) {
  return !result.ok() && result.error().message.find(words) != std::string::npos;
}

TEST_CASE("a long operator chain is a nesting error, not a stack overflow") {
  std::string chain = ":put (1";
  for (int i = 0; i < 200000; ++i) {
    chain += "+1";
  }
  auto read = routeros::read_script(chain + ")\n");
  REQUIRE_FALSE(read.ok());
  CHECK(read.errors[0].message.find("nesting deeper") != std::string::npos);
  // Well below the limit it still reads and runs.
  Router r;
  CHECK(run_script_text(":put (1+1+1+1+1+1+1+1+1+1)\n", r).ok());
}

TEST_CASE("setting an array index past the end fails instead of writing through null") {
  Router r;
  CHECK(fails_with(run_script_text("{\n:local a [:toarray \"x\"]\n:set ($a->5) 1\n}\n", r),
                   "past the end"));
}

TEST_CASE("a key that reassigns the indexed variable cannot leave a dangling element") {
  Router r;
  const char* script = "{\n:local a [:toarray \"\"]\n:set ($a->\"x\") [:toarray \"\"]\n"
                       ":put ($a->\"x\"->[:set a 1])\n"
                       ":set ($a->\"x\") [:toarray \"\"]\n"
                       ":set ($a->\"x\"->[:set a 1]) 2\n}\n";
  CHECK(run_script_text(script, r).ok());
}

TEST_CASE("set evaluates its values before it looks up the items they may move") {
  Router r;
  auto s = run_script_text("/interface gre add name=g0 remote-address=1.1.1.1\n"
                           "/interface gre set [find where name=g0] "
                           "comment=[/interface gre add name=g1 remote-address=1.1.1.2]\n",
                           r);
  REQUIRE(s.ok());
  REQUIRE(r.items("/interface gre").size() == 2);
  // g1's id (a RouterOS 7 router's first id is its builtin VRF main's).
  CHECK(r.items("/interface gre")[0].props.at("comment") ==
        fmt::format("*{:X}", r.items("/interface gre")[1].id));
}

TEST_CASE("integer overflow is an error, not undefined behaviour") {
  Router r;
  std::string big = "999999999999999999";
  std::string sum = big;
  std::string difference = "0";
  for (int i = 0; i < 10; ++i) {
    sum += "+" + big;
    difference += "-" + big;
  }
  CHECK(fails_with(run_script_text(":put (" + sum + ")\n", r), "integer overflow"));
  CHECK(fails_with(run_script_text(":put (" + difference + ")\n", r), "integer overflow"));
  CHECK(run_script_text(":put (-" + big + " - 1)\n", r).ok());
  CHECK(run_script_text(":if ((2 + 3 - 1) != 4 or (-5 + 2) != -3) do={ :error wrong }\n", r).ok());
}

TEST_CASE("values that double on every line hit the work limit") {
  Router r;
  std::string script = "{\n:local s \"x\"\n:local a [:toarray \"x\"]\n";
  for (int i = 0; i < 64; ++i) {
    script += ":set s ($s . $s)\n:set a ($a, $a)\n";
  }
  script += "}\n";
  RunLimits limits;
  limits.max_work = 1'000'000;
  CHECK(fails_with(run_script_text(script, r, limits), "units of work"));
}

TEST_CASE("loops that multiply their work hit the work limit") {
  Router r;
  std::string script = "{\n:local a [:toarray \"1,2,3,4,5,6,7,8,9,10\"]\n";
  std::string close;
  for (int i = 0; i < 12; ++i) {
    script += ":foreach i" + std::to_string(i) + " in=$a do={ /ip route find;";
    close += "}";
  }
  script += close + "\n}\n";
  RunLimits limits;
  limits.max_work = 1'000'000;
  CHECK(fails_with(run_script_text(script, r, limits), "units of work"));
}

TEST_CASE("arrays nested past the limit are refused") {
  Router r;
  std::string script = "{\n:local a [:toarray \"\"]\n";
  for (int i = 0; i < 40; ++i) {
    script += ":set ($a->\"k\") $a\n";
  }
  script += "}\n";
  CHECK(fails_with(run_script_text(script, r), "nested more than"));
}

TEST_CASE("regular expressions cannot blow up the matcher") {
  Router r;
  std::string as(300, 'a');
  REQUIRE(run_script_text("/ip route add dst-address=1.0.0.0/8 comment=" + as + "\n", r).ok());
  // A backtracking matcher would take 2^300 steps here.
  CHECK(run_script_text(":put [/ip route find where comment~\"(a|a)*b\"]\n", r).ok());
  CHECK(run_script_text(":put [/ip route find where comment~\"^(a*)*\\$\"]\n", r).ok());
  CHECK(
      fails_with(run_script_text(":put [/ip route find where comment~\"((a{99}){99}){99}\"]\n", r),
                 "outside the supported subset"));
  CHECK(fails_with(
      run_script_text(":put [/ip route find where comment~\"" + std::string(300, 'a') + "\"]\n", r),
      "outside the supported subset"));
  CHECK(run_script_text(":put [/ip route find where comment~\"^a\\\\{\"]\n", r).ok());
}

} // namespace
} // namespace vpnaas::test
