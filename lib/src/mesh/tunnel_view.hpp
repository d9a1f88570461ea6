#pragma once

#include <vpnaas/routeros/simulator.hpp>

#include <map>
#include <string>

namespace vpnaas::mesh::detail {

// What one device's configuration says about one tunnel, collected from the
// items tagged with the tunnel id after its script ran.
struct TunnelView {
  std::string file;
  std::map<std::string, std::string> gre;      // /interface gre item
  std::map<std::string, std::string> address;  // /ip address item
  std::map<std::string, std::string> peer;     // /ip ipsec peer item
  std::map<std::string, std::string> identity; // /ip ipsec identity item
  std::map<std::string, std::string> policy;   // /ip ipsec policy item
  std::map<std::string, std::string> profile;  // the profile the peer names
  std::map<std::string, std::string> proposal; // the proposal the policy names
  std::map<std::string, std::string> ospf;     // OSPF interface (template), if any
};

// Tunnel id -> view, for every tunnel tagged in `router`.
std::map<std::string, TunnelView> tunnel_views(const routeros::Router& router,
                                               const std::string& file);

// Problems between the two ends of `tunnel` (messages only).
std::vector<std::string> compare_ends(const TunnelView& a, const TunnelView& b);

} // namespace vpnaas::mesh::detail
