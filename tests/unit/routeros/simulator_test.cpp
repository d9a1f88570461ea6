// The script simulator the convergence proofs and `mesh check` rely on must
// be at least as strict as RouterOS for the subset it runs.
#include <vpnaas/routeros/reader.hpp>
#include <vpnaas/routeros/simulator.hpp>

#include <doctest/doctest.h>

#include "run_script_text.hpp"

namespace vpnaas::test {
namespace {

using routeros::Router;

TEST_CASE("add, find, set and remove, a set to the same values is no change") {
  Router r;
  auto s = run_script_text("/interface gre add name=g1 remote-address=1.1.1.1 comment=\"t\"\n"
                           "/interface gre set [find where comment=\"t\"] mtu=1400\n",
                           r);
  REQUIRE(s.ok());
  CHECK(s->added == 1);
  CHECK(s->changed == 1);
  auto again =
      run_script_text("/interface gre set [find where comment=\"t\"] mtu=1400 name=g1\n", r);
  REQUIRE(again.ok());
  CHECK(again->total() == 0);
  auto gone = run_script_text("/interface gre remove [find where name=g1]\n", r);
  REQUIRE(gone.ok());
  CHECK(gone->removed == 1);
  CHECK(r.items("/interface gre").empty());
}

TEST_CASE(":put output is collected in order and :log prints nothing") {
  Router r;
  auto s = run_script_text(
      "{\n:local n 2\n:put (\"a\" . $n)\n:log info \"quiet\"\n}\n:put \"vpnaas:done:x\"\n", r);
  REQUIRE(s.ok());
  CHECK(s->printed == std::vector<std::string>{"a2", "vpnaas:done:x"});
}

TEST_CASE("locals live in their block only, as in a RouterOS import") {
  Router r;
  CHECK(
      run_script_text(
          "{\n:local a 1\n:if ($a = 1) do={ :local b [:toarray \"\"]; :set ($b->\"k\") true }\n}\n",
          r)
          .ok());
  auto bad = run_script_text(":local a 1\n:put $a\n", r);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("not declared") != std::string::npos);
}

TEST_CASE("missing array keys are nothing, nothing equals neither 0 nor empty") {
  Router r;
  auto s = run_script_text(
      "{\n:local w [:toarray \"\"]\n:set ($w->\"x\") true\n"
      ":if ([:typeof ($w->\"y\")] = \"nothing\") do={ /ip route add dst-address=1.0.0.0/8 }\n"
      ":if ([:typeof ($w->\"x\")] = \"nothing\") do={ /ip route add dst-address=2.0.0.0/8 }\n}\n",
      r);
  REQUIRE(s.ok());
  CHECK(r.items("/ip route").size() == 1);
}

TEST_CASE("names are unique, references must resolve, used items cannot be removed") {
  Router r;
  r.add("/interface ethernet", {{"name", "ether1"}});
  CHECK_FALSE(run_script_text("/interface gre add name=ether1 remote-address=1.1.1.1\n", r).ok());
  CHECK_FALSE(run_script_text("/ip ipsec peer add name=p profile=nope\n", r).ok());
  REQUIRE(
      run_script_text("/ip ipsec profile add name=pr\n/ip ipsec peer add name=p profile=pr\n", r)
          .ok());
  CHECK_FALSE(run_script_text("/ip ipsec profile remove [find where name=pr]\n", r).ok());
  CHECK(run_script_text(
            "/ip ipsec peer remove [find]\n/ip ipsec profile remove [find where name=pr]\n", r)
            .ok());
}

TEST_CASE("place-before inserts before the given item") {
  Router r;
  r.add("/ip firewall filter", {{"chain", "input"}, {"action", "drop"}});
  REQUIRE(
      run_script_text("{\n:local d [/ip firewall filter find where chain=input and action=drop]\n"
                      "/ip firewall filter add chain=input action=accept place-before=($d->0)\n}\n",
                      r)
          .ok());
  CHECK(r.items("/ip firewall filter")[0].props.at("action") == "accept");
}

TEST_CASE("commands outside the subset are refused, not ignored") {
  Router r;
  CHECK_FALSE(run_script_text("/system script run name=x\n", r).ok());
  CHECK_FALSE(run_script_text(":execute {:put 1}\n", r).ok());
}

} // namespace
} // namespace vpnaas::test
