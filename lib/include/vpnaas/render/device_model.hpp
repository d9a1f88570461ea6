#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/inventory/model.hpp>
#include <vpnaas/net/ipv4.hpp>
#include <vpnaas/secrets/master_key.hpp>
#include <vpnaas/topology/lock_file.hpp>
#include <vpnaas/topology/tunnel.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace vpnaas::render {

// What a renderer needs besides the device: the inventory, its tunnels (as
// build_tunnels returns them, sorted by id), the lock that gives each tunnel
// its transit subnet, and the key the pre-shared keys derive from. Taken apart
// from Workspace so tests can render inventories validation would refuse.
struct RenderInput {
  const inventory::Inventory& inventory;
  const std::vector<topology::Tunnel>& tunnels;
  const topology::LockFile& lock;
  const secrets::MasterKey& key;
  std::optional<std::string> revision; // inventory git revision for the header
};

// A router and the tunnels it terminates, without any per-tunnel data yet, so
// that a whole inventory can be indexed cheaply and rendered one device at a
// time.
struct DeviceRef {
  const inventory::Device* device = nullptr;
  const inventory::Site* site = nullptr;         // for a site router
  const inventory::Customer* customer = nullptr; // for a site router
  const inventory::Cluster* cluster = nullptr;   // for a cluster router
  std::string group;                             // customer or cluster name: the output folder
  std::vector<std::size_t> tunnels;              // indexes into RenderInput::tunnels, in id order
  std::string relative_path() const;             // "<group>/<device>.rsc"
};

// Every device of the inventory (cluster routers first, then site routers,
// each in name order), with the tunnels it terminates. Devices without
// tunnels are included: their script still removes stale vpnaas items.
std::vector<DeviceRef> index_devices(const inventory::Inventory& inv,
                                     const std::vector<topology::Tunnel>& tunnels);

// One tunnel as seen from one of its ends.
struct TunnelEnd {
  const topology::Tunnel* tunnel = nullptr;
  const topology::Endpoint* peer = nullptr;
  std::string customer;
  Ipv4Address local_public;
  Ipv4Address remote_public;
  Ipv4Prefix subnet;
  Ipv4Address local_transit;
  Ipv4Address remote_transit;
  std::string interface; // GRE interface name, from the peer's device name
  std::string peer_name; // IPsec peer name, from the peer's device name
  std::string psk;
  // Settings both ends must share are taken from the tunnel, not the device,
  // so the two scripts agree even where validation only warns: the smaller
  // MTU, and the suite and OSPF timers of end `a` (the end whose id sorts first).
  const inventory::CryptoSuite* suite = nullptr;
  int mtu = 1400;
  Duration hello{1};
  Duration dead{4};
  bool ospf = false;                       // both ends route with OSPF; otherwise static routes
  std::vector<Ipv4Prefix> remote_networks; // the peer's LANs or cluster networks
  // Static routes over this tunnel: 1, or the peer's place in its cluster's
  // device list (1, 2, ...), so a site prefers one cluster router and keeps
  // flows symmetric through stateful firewalls instead of splitting them
  // over equal-cost paths. Towards the backup router of an HA site: 2.
  int distance = 1;
  // OSPF cost of the tunnel: the device's cost, plus kBackupCost for each end
  // that is the backup router of an HA site, so both ends agree and traffic
  // prefers the primary router's tunnels while they are up.
  int cost = 10;
  // An end is a router of an HA site: hello 1 s and dead 4 s whatever the
  // settings, so OSPF moves traffic to the other router within seconds.
  bool highly_available = false;
};

// What a tunnel to or from a backup router adds to its OSPF cost: larger than
// any path through primary routers of a realistic mesh (a few hops of 10).
inline constexpr int kBackupCost = 100;

// Both routers of an HA site: the primary starts above the backup; tracking
// drops either to kVrrpTrackedDown when its path to the cluster fails.
inline constexpr int kVrrpPrimaryPriority = 200;
inline constexpr int kVrrpBackupPriority = 100;
inline constexpr int kVrrpTrackedDown = 50;

// Networks a device announces into one customer's OSPF domain.
struct OspfDomain {
  std::string customer;
  std::vector<Ipv4Prefix> networks;
};

struct DeviceModel {
  const DeviceRef* ref = nullptr;
  const inventory::Device* device = nullptr;
  std::vector<TunnelEnd> ends;                       // in tunnel id order
  std::vector<const inventory::CryptoSuite*> suites; // used by ends, by name
  std::vector<OspfDomain> ospf;                      // customers with OSPF tunnels, by name
  // A router of an HA site: the site's VRRP group, and whether this router is
  // the backup. Null for a one-router site and for cluster routers.
  const inventory::Vrrp* vrrp = nullptr;
  bool backup = false;
};

// Resolves everything the scripts of one device need. Fails with
// invalid_input when a tunnel has no subnet in the lock or names an unknown
// crypto suite (validation prevents both), or as derive_psk fails.
Result<DeviceModel> build_device_model(const DeviceRef& ref, const RenderInput& input);

// Interface and IPsec peer names for a tunnel towards `peer_device`.
std::string gre_name(std::string_view peer_device);
std::string ipsec_peer_name(std::string_view peer_device);

} // namespace vpnaas::render
