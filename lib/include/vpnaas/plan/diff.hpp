#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/render/routeros/plan.hpp>
#include <vpnaas/secrets/master_key.hpp>
#include <vpnaas/workspace/workspace.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

// What converging each router's script would change between two versions of
// the inventory (`vpnaas plan --base REV --head REV`): the managed items added,
// changed in place and removed, compared on the DevicePlans the renderer
// builds, so the plan is exactly what importing the new scripts does.
namespace vpnaas::plan {

// Shown instead of a secret value (the IPsec pre-shared key): secrets never
// leave the library, a changed secret is only reported as changed.
inline constexpr const char* kHiddenValue = "(hidden)";

// One property whose value differs. Values are the raw values the script
// sets, not quoted: text from the inventory may hold any byte, so print them
// through a quoting or escaping function. nullopt means the property is not
// set on that side; a flag (`passive`) that is set has the empty value.
struct PropChange {
  std::string name;
  std::optional<std::string> before;
  std::optional<std::string> after;
  bool secret = false; // before/after hold kHiddenValue, never the value
  bool flag = false;
};

// One managed item, identified on the router by its menu and comment tag.
struct ItemChange {
  enum class Kind { added, changed, removed };
  Kind kind = Kind::changed;
  std::string menu; // "/interface gre"
  std::string tag;  // "vpnaas:gre:acme/antwerp~acme/brussels"
  // added: every property (before empty); removed: every property (after
  // empty); changed: only the properties that differ.
  std::vector<PropChange> props;
};

struct DeviceDiff {
  // added / removed: the device is only in head / only in base.
  enum class Status { unchanged, changed, added, removed };
  Status status = Status::unchanged;
  std::string device;
  std::string group; // customer or cluster name, from head (base for a removed device)
  bool cluster_router = false;
  int routeros = 7;
  // Head's menu and item order, then the items only in base in base's order.
  // Empty when unchanged, also for a device that only moved to another
  // group: what is on the router does not change, only its script's path.
  std::vector<ItemChange> items;

  std::size_t count(ItemChange::Kind kind) const; // items of that kind
};

struct InventoryDiff {
  // Every device of either side: head's render order (render::index_devices),
  // then the devices only in base, in base's order.
  std::vector<DeviceDiff> devices;

  bool has_changes() const; // some device is not unchanged
  std::size_t count(DeviceDiff::Status status) const;
  std::size_t count(ItemChange::Kind kind) const; // over all devices
};

// The items and properties that differ between two plans of one device,
// matched by (menu path, tag) and properties by name. Neither the header nor
// `before_drop_in` is compared: once a script has converged, neither changes
// what is on the router (a rule kept in place is moved, not changed).
// Secret properties are compared on their real values and reported with
// kHiddenValue. Deterministic; cannot fail.
std::vector<ItemChange> diff_plans(const render::routeros::DevicePlan& base,
                                   const render::routeros::DevicePlan& head);

// Receives one device's diff; an error stops the walk and is returned.
using DeviceDiffSink = std::function<Status(DeviceDiff&&)>;

// Diffs every device of two valid workspaces (open_workspace without errors),
// matched by device name, and hands each result to `sink` on the calling
// thread in InventoryDiff order, unchanged devices included. Devices are
// diffed on `threads` threads (0: one per core) without changing the result.
// Each device's plans are built one side at a time and dropped once compared,
// so memory stays at a few devices' plans plus what `sink` keeps, whatever
// the size of the mesh. Needs no master key (see comparison_key()). Fails with
// invalid_input when either workspace has errors, as build_device_model
// fails, or with the sink's error.
Status diff_each_device(const Workspace& base, const Workspace& head, const DeviceDiffSink& sink,
                        unsigned threads = 0);

// Collects diff_each_device into one InventoryDiff. Holds every difference:
// for very large changes (a whole customer added), prefer diff_each_device.
// Fails as diff_each_device does.
Result<InventoryDiff> diff_workspaces(const Workspace& base, const Workspace& head,
                                      unsigned threads = 0);

// The routers a change reaches, for `apply --changed-since`.
struct ChangedRouters {
  std::set<std::string> to_apply; // changed or only in head
  std::vector<std::string> gone;  // only in base: apply cannot reach them
  std::size_t unchanged = 0;
};

// Walks diff_each_device keeping only device names. Fails as it does.
Result<ChangedRouters> changed_routers(const Workspace& base, const Workspace& head);

// The key both sides' pre-shared keys are derived from when diffing: fixed
// bytes built into vpnaas, not a secret. The master key is not in git and is
// the same for both revisions, so with any one key a tunnel's derived key
// changes exactly when its inputs (tunnel id, psk-epochs) change, and `plan`
// runs where there is no master key (CI). Keys derived from it are never
// configured on a router.
const secrets::MasterKey& comparison_key();

} // namespace vpnaas::plan
