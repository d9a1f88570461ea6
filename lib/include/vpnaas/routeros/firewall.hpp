#pragma once

#include <vpnaas/net/ipv4.hpp>
#include <vpnaas/routeros/simulator.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vpnaas::routeros {

// A packet as `/ip firewall filter` sees it. Interfaces are the real ones
// (a GRE interface), whatever VRF holds them; an unknown source address
// matches no rule that tests one.
struct FilterPacket {
  std::string chain;         // "input", "forward" or "output"
  std::string in_interface;  // empty on output
  std::string out_interface; // empty on input
  std::string protocol;      // "ospf", "gre", "tcp", ...
  std::optional<Ipv4Address> src;
  Ipv4Address dst;
};

// The first rule of the packet's chain that matches it: its action and
// position among `/ip firewall filter` items; `action` is empty when no rule
// matches (the chain's policy, accept).
struct FilterVerdict {
  std::string action;
  std::size_t rule = 0;
  std::string comment;
};

// The filter rules of one simulated router, with what they match against:
// VRF membership, interface lists and address lists, copied at construction.
// Matched: chain, protocol, in-/out-interface, in-/out-interface-list, src-
// and dst-address, src- and dst-address-list (each may be negated with "!"),
// disabled. A rule that tests anything else (ports, connection state, IPsec
// policy) is taken not to match: callers ask only about packets those rules
// are not meant for.
//
// From RouterOS 7.14, in-interface and out-interface see an interface of a
// VRF other than main as the VRF's own interface, named like the VRF:
// MikroTik's VRF page (help.mikrotik.com/docs/spaces/ROS/pages/328206/VRF,
// "VRF interfaces in firewall"): "Starting from RouterOS v7.14, these rules
// no longer target individual interfaces within a VRF, but rather the VRF
// interface as a whole", with the example `in-interface=vrf5`. So a rule or
// an interface list naming a GRE interface of a VRF matches it before 7.14
// only.
class Firewall {
public:
  explicit Firewall(const Router& router);
  FilterVerdict verdict(const FilterPacket& packet) const;
  // The name in/out-interface matchers compare with, for a real interface.
  std::string seen_as(const std::string& interface) const;

private:
  bool matches(const Item& rule, const FilterPacket& packet) const;
  Version m_version;
  std::vector<Item> m_rules;
  std::vector<std::pair<std::string, std::vector<std::string>>> m_vrfs; // in order
  std::map<std::string, std::vector<std::string>> m_interface_lists;
  std::map<std::string, std::vector<Ipv4Prefix>> m_address_lists;
};

} // namespace vpnaas::routeros
