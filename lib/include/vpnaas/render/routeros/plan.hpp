#pragma once

#include <vpnaas/render/device_model.hpp>
#include <vpnaas/routeros/version.hpp>

#include <string>
#include <vector>

namespace vpnaas::render::routeros {

// One property of an item. Bare values are produced by vpnaas itself
// (addresses, numbers, RouterOS keywords); text comes from the inventory and
// is always written through quote(); a flag is a bare property name
// (`passive`). A secret is text that must never be shown outside the script
// itself (the IPsec pre-shared key): `vpnaas plan` reports that it changed
// without its value.
struct Prop {
  enum class Style { bare, text, flag };
  std::string name;
  std::string value;
  Style style = Style::bare;
  bool secret = false;
};

Prop bare(std::string name, std::string value);
Prop text(std::string name, std::string value);
Prop flag(std::string name);
Prop secret(std::string name, std::string value); // written like text()

// One item vpnaas wants on the router, identified by its comment tag
// "vpnaas:<kind>:<stable id>", or by its name in menus keyed by name.
// `before_drop_in` names a firewall chain: the rule is kept before the
// chain's first rule that drops, rejects, tarpits or jumps to a chain that
// does, and moved back there on every import. A `keep_last` item is moved to
// the end of its menu on every import (a chain's final discard).
struct PlanItem {
  std::string tag;
  std::vector<Prop> props;
  std::string before_drop_in;
  bool keep_last = false;
};

// The items of one menu. Menus are listed in the order items must be created
// (what is referenced before what references it); stale items are removed in
// the reverse order before anything is created, except for `sweep_last`
// menus (IPsec profiles and proposals), whose stale items may still be
// referenced until the peers and policies have been updated.
// `key` is the property by which vpnaas recognises its items, and `prefix`
// what that property's value starts with on every item vpnaas owns: the
// comment tag "vpnaas:" where the menu has a comment; where it has none
// (IPsec profiles and proposals, RouterOS 6 OSPF instances and areas), a
// name starting "vpnaas-"; for RouterOS 6 OSPF interface entries, the GRE
// interface they configure ("gre-", see `owner`).
struct PlanMenu {
  std::string path; // "/interface gre"
  std::string title;
  std::vector<PlanItem> items;
  bool sweep_last = false;
  std::string key = "comment";
  std::string prefix = "vpnaas:";
  // Where the key is neither a tag nor a "vpnaas-" name: the menu whose
  // vpnaas-tagged items the key names. An item is vpnaas's to remove only
  // when its key names one of them (RouterOS 6 OSPF interface entries on
  // vpnaas's GRE interfaces; never one on a user's own "gre-" interface).
  std::string owner = {};
  // The name of an item vpnaas does not own that its items must stand
  // before, moved there on every import (VRFs before the builtin `main`).
  std::string before_named = {};
};

struct DevicePlan {
  std::vector<std::string> header; // comment lines, without "# "
  std::vector<PlanMenu> menus;
  // The oldest release whose behaviour the plan relies on beyond the
  // properties it writes (firewall matching of VRF interfaces, 7.14).
  ::vpnaas::routeros::Version relies_on{0, 0, 0};
};

inline constexpr const char* kTagPrefix = "vpnaas:";
inline constexpr const char* kNamePrefix = "vpnaas-";
std::string tag(std::string_view kind, std::string_view id);

// Builds the plan for the RouterOS release the device is set to. The header
// says the oldest release the script runs on ("Needs RouterOS 7.1 or
// later"): the device's major's oldest supported release, or later when the
// device's release lets the plan use a property that came later.
DevicePlan build_plan(const DeviceModel& model, const RenderInput& input);

// Appends an empty menu to the plan and returns it.
PlanMenu& add_menu(DevicePlan& plan, std::string path, std::string title, bool sweep_last = false);
// Makes `m` a menu whose items vpnaas owns by a name starting "vpnaas-".
void own_by_name(PlanMenu& m);
// True when the device's RouterOS release has the property (Schema::builtin()).
bool has_property(const DeviceModel& model, const std::string& menu, const std::string& prop);

// Parts shared by both versions and the per-version routing (plan_*.cpp).
void add_ipsec(const DeviceModel& model, DevicePlan& plan);
void add_tunnels(const DeviceModel& model, DevicePlan& plan);
void add_firewall(const DeviceModel& model, DevicePlan& plan);
PlanMenu& add_static_routes(const DeviceModel& model, DevicePlan& plan);
void add_ospf_v7(const DeviceModel& model, DevicePlan& plan);
void add_ospf_v6(const DeviceModel& model, DevicePlan& plan);
// Routers of an HA site (plan_ha.cpp); nothing for other devices. The VRRP
// interface comes before the tunnels, its address goes into the "/ip address"
// menu add_tunnels made (one menu per path: each sweeps what the other owns),
// and tracking comes last.
void add_vrrp(const DeviceModel& model, DevicePlan& plan);
void add_vrrp_address(const DeviceModel& model, DevicePlan& plan);
void add_tracking(const DeviceModel& model, DevicePlan& plan);

// Tenant isolation on cluster routers (plan_vrf.cpp). The VRF of a customer,
// and whether this router keeps its customers in VRFs.
std::string vrf_name(std::string_view customer);
bool isolates_by_vrf(const DeviceModel& model);
// The tag kind of an item that names a customer's VRF, directly or through
// what it references (OSPF instance, area, templates; static routes):
// "vrf-<kind>" inside VRFs, so that switching isolation either way removes
// the old items before the VRFs they name, and adds them anew.
std::string vrf_kind(const DeviceModel& model, std::string_view kind);
void add_vrfs(const DeviceModel& model, DevicePlan& plan);
// True when this router's firewall sees a VRF's interfaces as the VRF's own
// interface (RouterOS 7.14 and later, plan_vrf.cpp): its filter rules name
// the customers' VRFs instead of the tunnel interface list.
bool matches_vrf_interfaces(const DeviceModel& model);
// Routes leaking the cluster's networks into each customer's VRF, and each
// site LAN that no other customer of the cluster uses back into main.
void add_vrf_routes(const DeviceModel& model, const RenderInput& input, PlanMenu& routes);

} // namespace vpnaas::render::routeros
