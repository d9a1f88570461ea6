#pragma once

#include <vpnaas/mesh/check.hpp>
#include <vpnaas/routeros/simulator.hpp>

#include <map>
#include <string>
#include <vector>

namespace vpnaas::mesh::detail {

// What one router's configuration says about its HA site's VRRP group.
struct VrrpView {
  std::string file;
  std::map<std::string, std::string> vrrp;                  // the /interface vrrp item
  std::map<std::string, std::string> address;               // its /ip address item
  std::vector<std::map<std::string, std::string>> netwatch; // the tracking entries
};

// Site id -> view, for the VRRP group tagged in `router` (at most one).
std::map<std::string, VrrpView> vrrp_views(const routeros::Router& router, const std::string& file);

// Problems of one HA site seen from its routers' scripts: exactly two
// routers, the same VRID, interface and gateway address, one primary with
// the higher priority, and tracking entries whose one script (for up and
// down) sets the priority of that router's own VRRP interface down below
// the backup's when no tracked tunnel is up, and back to where it started
// otherwise.
std::vector<Finding> compare_vrrp(const std::string& site, const std::vector<VrrpView>& views);

} // namespace vpnaas::mesh::detail
