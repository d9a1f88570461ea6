#pragma once

#include <vpnaas/render/device_model.hpp>

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
// "vpnaas:<kind>:<stable id>". `place_before` is a `find` expression: a new
// item is added before the first match (rules whose order matters).
struct PlanItem {
  std::string tag;
  std::vector<Prop> props;
  std::string place_before;
};

// The items of one menu. Menus are listed in the order items must be created
// (what is referenced before what references it); stale items are removed in
// the reverse order before anything is created, except for `sweep_last`
// menus (IPsec profiles and proposals), whose stale items may still be
// referenced until the peers and policies have been updated.
struct PlanMenu {
  std::string path; // "/interface gre"
  std::string title;
  std::vector<PlanItem> items;
  bool sweep_last = false;
};

struct DevicePlan {
  std::vector<std::string> header; // comment lines, without "# "
  std::vector<PlanMenu> menus;
};

inline constexpr const char* kTagPrefix = "vpnaas:";
std::string tag(std::string_view kind, std::string_view id);

// Builds the plan for the RouterOS major version the device is set to (7 or
// 6; anything else is refused by validation and rendered as 7).
DevicePlan build_plan(const DeviceModel& model, const RenderInput& input);

// Parts shared by both versions and the per-version routing (plan_*.cpp).
void add_ipsec(const DeviceModel& model, DevicePlan& plan);
void add_tunnels(const DeviceModel& model, DevicePlan& plan);
void add_firewall(const DeviceModel& model, DevicePlan& plan);
void add_static_routes(const DeviceModel& model, DevicePlan& plan);
void add_ospf_v7(const DeviceModel& model, DevicePlan& plan);
void add_ospf_v6(const DeviceModel& model, DevicePlan& plan);

} // namespace vpnaas::render::routeros
