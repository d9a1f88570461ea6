// Highly available sites: two routers share the LAN gateway through VRRP, and
// each lowers its VRRP priority while its path to the cluster is down.
//
// MikroTik, VRRP (help.mikrotik.com, "High availability solutions: VRRP";
// /work/shared/reference/routeros.md section VRRP): the virtual address is
// a /32 on the VRRP interface; priority 1..254, higher wins; with
// preemption-mode=yes a router whose priority rises above the master's takes
// the gateway back. RouterOS has no built-in interface tracking for VRRP, so
// tracking is a Netwatch entry whose up-script and down-script set the
// priority (help.mikrotik.com/docs/x/BIBQDg, "Netwatch": host, interval,
// timeout, up-script on fail -> OK, down-script on OK -> fail; the default
// type `simple` is plain ICMP on every RouterOS 7 release), and the CLI
// reference (manual.mikrotik.com/docs/cli-reference/tool/netwatch) lists the
// read-only `status` (unknown | down | up) the scripts read.

#include <vpnaas/render/routeros/plan.hpp>

#include <fmt/format.h>

#include <vector>

namespace vpnaas::render::routeros {
namespace {

constexpr const char* kVrrpInterface = "vpnaas-vrrp";

std::string site_id(const DeviceModel& model) {
  const DeviceRef& ref = *model.ref;
  return ref.customer->name.value + "/" + ref.site->name.value;
}

// Only RouterOS 7 site routers: validation refuses HA on RouterOS 6, and a
// RouterOS 6 VRRP interface has no comment to own it by.
bool site_router_v7(const DeviceModel& model) {
  return model.ref->site != nullptr && model.device->settings.routeros.major >= 7;
}

// The tunnels tracking watches: those to cluster routers (every site has
// them), else all. Pinging a peer's transit address through its tunnel
// fails when the uplink, IPsec or that GRE tunnel fails.
std::vector<const TunnelEnd*> tracked_ends(const DeviceModel& model) {
  std::vector<const TunnelEnd*> out;
  for (const auto& end : model.ends) {
    if (end.peer->cluster != nullptr) {
      out.push_back(&end);
    }
  }
  if (out.empty()) {
    for (const auto& end : model.ends) {
      out.push_back(&end);
    }
  }
  return out;
}

} // namespace

void add_vrrp(const DeviceModel& model, DevicePlan& plan) {
  if (!site_router_v7(model)) {
    return;
  }
  // Present on every RouterOS 7 site router, so a site that stops being HA
  // loses its VRRP interface on the next import.
  PlanMenu& vrrp = add_menu(plan, "/interface vrrp", "VRRP gateway of a highly available site");
  if (model.vrrp == nullptr) {
    return;
  }
  const int priority = model.backup ? kVrrpBackupPriority : kVrrpPrimaryPriority;
  vrrp.items.push_back(
      {tag("vrrp", site_id(model)),
       {text("name", kVrrpInterface), text("interface", model.vrrp->interface_on(*model.device)),
        bare("vrid", std::to_string(model.vrrp->vrid.value)),
        bare("priority", std::to_string(priority)), bare("preemption-mode", "yes")},
       {}});
}

void add_vrrp_address(const DeviceModel& model, DevicePlan& plan) {
  if (model.vrrp == nullptr || !site_router_v7(model)) {
    return;
  }
  for (PlanMenu& menu : plan.menus) {
    if (menu.path == "/ip address") {
      menu.items.push_back({tag("vrrp-address", site_id(model)),
                            {bare("address", model.vrrp->address.value.to_string() + "/32"),
                             text("interface", kVrrpInterface)},
                            {}});
      return;
    }
  }
}

void add_tracking(const DeviceModel& model, DevicePlan& plan) {
  if (!site_router_v7(model)) {
    return;
  }
  PlanMenu& netwatch =
      add_menu(plan, "/tool netwatch", "VRRP priority down while the cluster is unreachable");
  auto ends = tracked_ends(model);
  if (model.vrrp == nullptr || ends.empty()) {
    return;
  }
  const int priority = model.backup ? kVrrpBackupPriority : kVrrpPrimaryPriority;
  // One entry per tracked tunnel, all running the same script: it counts
  // vpnaas's entries whose read-only `status` is `up` (Netwatch CLI
  // reference: unknown | down | up) and lowers the priority only when none
  // is, so one tunnel down of several changes nothing, and a dead uplink,
  // which takes every tunnel down, does. A router belongs to one site, so
  // every vpnaas netwatch entry on it tracks this site's tunnels. The
  // script finds the VRRP interface by its tag, as vpnaas owns it, not by a
  // name a user could have reused.
  const std::string vrrp = fmt::format("[find where comment=\"{}\"]", tag("vrrp", site_id(model)));
  const std::string script = fmt::format(
      ":if ([:len [/tool netwatch find where comment~\"^{}\" status=\"up\"]] = 0) "
      "do={{/interface vrrp set {} priority={}}} else={{/interface vrrp set {} priority={}}}",
      tag("netwatch", ""), vrrp, kVrrpTrackedDown, vrrp, priority);
  for (const TunnelEnd* end : ends) {
    netwatch.items.push_back(
        {tag("netwatch", site_id(model) + ":" + end->tunnel->id),
         {bare("host", end->remote_transit.to_string()), bare("interval", "2s"),
          bare("timeout", "1s"), text("up-script", script), text("down-script", script)},
         {}});
  }
}

} // namespace vpnaas::render::routeros
