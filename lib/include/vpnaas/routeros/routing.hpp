#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/net/ipv4.hpp>
#include <vpnaas/routeros/firewall.hpp>
#include <vpnaas/routeros/simulator.hpp>

#include <map>
#include <string>
#include <vector>

namespace vpnaas::routeros {

// One active route of a routing table, as a set of simulated routers would
// hold it once OSPF has converged.
struct Route {
  Ipv4Prefix dst;
  enum class Kind { connected, attached, static_route, ospf };
  Kind kind = Kind::connected;
  std::string interface;    // the egress interface
  std::string table;        // the table the egress interface sits in (differs for a leak)
  Ipv4Address gateway{};    // the next hop; 0.0.0.0 on a connected or attached route
  int distance = 0;         // RouterOS: connected 0, static as written (1), OSPF 110
  std::uint32_t metric = 0; // OSPF cost
};

const char* to_string(Route::Kind kind);

// What one router routes: its VRF membership and, per routing table (`main`
// and one per VRF), the best route per destination.
struct RouterRouting {
  std::map<std::string, std::string> vrf_of;        // interface -> table
  std::map<std::string, std::vector<Route>> tables; // table -> routes, by destination
  std::vector<Ipv4Prefix> attached;                 // networks behind the LAN (main)
  std::string lan = "bridge";                       // the interface they are on
};

// The routing tables of routers configured by vpnaas scripts, derived from
// the simulator's configuration alone, without a dataplane:
// - VRF membership from `/ip vrf`, top to bottom, `main` taking what is left;
// - connected routes from `/ip address`, in the table of the interface's VRF;
// - the networks behind the router, which vpnaas does not configure: those
//   of the firewall address list `vpnaas-local`, attached in main on the LAN:
//   the interface a route leaks from main names ("vlan10@main"), else
//   `bridge`;
// - static routes from `/ip route` (`routing-table=`, gateways "x@table"
//   resolved in that table, as MikroTik's VRF page says);
// - OSPF (RouterOS 7 only: instance `vrf=`, areas, interface templates,
//   `redistribute=static`): neighbours are OSPF interfaces of the same area
//   on the two ends of one transit subnet; every instance announces its
//   interfaces' subnets, its passive networks that it has a route for and
//   the redistributed static routes; shortest paths by template cost.
// Routes per destination are chosen by distance, then metric.
class RoutedNetwork {
public:
  // Routers by name. Fails with invalid_input on what cannot be resolved (a
  // gateway without a connected route in its table).
  static Result<RoutedNetwork> derive(const std::map<std::string, const Router*>& routers);

  const std::map<std::string, RouterRouting>& routers() const { return m_routers; }

  // Follows a packet for `dst` entering router `from` in `table`, hop by
  // hop: longest match in the table, over the egress interface to the router
  // holding the gateway, continuing in that interface's table there. Each
  // forwarding hop goes through the router's forward filter (Firewall, with
  // the packet's source unknown): a drop or reject stops the packet, so a
  // cluster router's vpnaas drop between tunnels is honoured.
  struct Trace {
    bool delivered = false;
    std::string router;            // where it was delivered, or where it stopped
    std::vector<std::string> path; // "router/table" per hop
    std::string why;               // when not delivered
  };
  Trace trace(const std::string& from, const std::string& table, Ipv4Address dst) const;

  // The best route for `dst` in one table of one router, or nullptr.
  const Route* lookup(const std::string& router, const std::string& table, Ipv4Address dst) const;

private:
  std::map<std::string, RouterRouting> m_routers;
  std::map<std::string, Firewall> m_firewalls; // router -> its filter rules
  // transit address -> (router, interface)
  std::map<Ipv4Address, std::pair<std::string, std::string>> m_owner;
};

} // namespace vpnaas::routeros
