// The simulator's VRF rules, from MikroTik's VRF page: the builtin main,
// unique names, existing member interfaces, and routing tables that exist
// wherever a route, a gateway or an OSPF instance names one.
#include <vpnaas/routeros/reader.hpp>
#include <vpnaas/routeros/simulator.hpp>

#include <doctest/doctest.h>

#include "run_script_text.hpp"

namespace vpnaas::test {
namespace {

using routeros::Router;

std::string failure(const std::string& text, Router& router) {
  auto r = run_script_text(text, router);
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

} // namespace

TEST_CASE("a RouterOS 7 router starts with the builtin VRF main, a RouterOS 6 one has no VRFs") {
  Router r;
  REQUIRE(r.items("/ip vrf").size() == 1);
  CHECK(r.items("/ip vrf")[0].props.at("name") == "main");
  CHECK(r.items("/ip vrf")[0].props.at("interfaces") == "all");
  Router v6(routeros::oldest_supported(6));
  CHECK(v6.items("/ip vrf").empty());
  CHECK(failure("/ip vrf add name=v1 interfaces=gre-a\n", v6).find("bad command name") !=
        std::string::npos);
}

TEST_CASE("VRF names are unique and their interfaces must exist") {
  Router r;
  CHECK(failure("/ip vrf add name=v1 interfaces=gre-a\n", r)
            .find("input does not match any value of interfaces: interfaces=gre-a") !=
        std::string::npos);
  REQUIRE(run_script_text("/interface gre add name=gre-a remote-address=192.0.2.1\n"
                          "/interface gre add name=gre-b remote-address=192.0.2.2\n"
                          "/ip vrf add name=v1 interfaces=gre-a,gre-b\n",
                          r)
              .ok());
  CHECK(failure("/ip vrf add name=v1 interfaces=gre-a\n", r)
            .find("/ip vrf already has an item with name=v1") != std::string::npos);
  CHECK(failure("/ip vrf add name=main interfaces=gre-b\n", r)
            .find("already has an item with name=main") != std::string::npos);
}

TEST_CASE("routes, gateways and OSPF instances must name an existing routing table") {
  Router r;
  REQUIRE(run_script_text("/interface gre add name=gre-a remote-address=192.0.2.1\n"
                          "/ip vrf add name=v1 interfaces=gre-a\n",
                          r)
              .ok());
  CHECK(failure("/ip route add dst-address=10.0.0.0/8 gateway=10.255.0.2 routing-table=v2\n", r)
            .find("input does not match any value of routing-table: routing-table=v2") !=
        std::string::npos);
  CHECK(failure("/ip route add dst-address=10.0.0.0/8 gateway=10.255.0.2@v2 routing-table=v1\n", r)
            .find("gateway=10.255.0.2@v2") != std::string::npos);
  CHECK(failure("/routing ospf instance add name=o1 vrf=v2\n", r)
            .find("input does not match any value of vrf: vrf=v2") != std::string::npos);
  auto ok = run_script_text(
      "/ip route add dst-address=10.0.0.0/8 gateway=10.255.0.2@v1 routing-table=v1\n"
      "/ip route add dst-address=10.1.0.0/16 gateway=\"bridge@main\" routing-table=v1\n"
      "/routing ospf instance add name=o1 vrf=v1\n",
      r);
  CHECK(ok.ok());
  // What names the VRF keeps it: the route and the instance go first.
  CHECK(failure("/ip vrf remove [find where name=v1]\n", r).find("cannot remove") !=
        std::string::npos);
}

} // namespace vpnaas::test
