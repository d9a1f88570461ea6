#include <vpnaas/plan/diff.hpp>
#include <vpnaas/render/device_model.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "in_order.hpp"

namespace vpnaas::plan {
namespace {

using render::DeviceRef;
using render::routeros::DevicePlan;

// One revision of the inventory, indexed for rendering one device at a time.
struct Side {
  std::string_view name; // "base" or "head", for messages
  std::vector<DeviceRef> refs;
  render::RenderInput input;

  Side(std::string_view side, const Workspace& ws)
      : name(side), refs(render::index_devices(ws.inventory, ws.tunnels)), input(render_input(ws)) {
  }

  // The header's revision line is not compared, so it is left unknown.
  static render::RenderInput render_input(const Workspace& ws) {
    return {ws.inventory, ws.tunnels, ws.allocation.lock, comparison_key(), std::nullopt};
  }
};

Status require_valid(const Workspace& ws, std::string_view side) {
  if (ws.valid()) {
    return Ok{};
  }
  return make_error(
      ErrorCode::invalid_input,
      fmt::format("the {} inventory has errors, so what its scripts do cannot be compared", side),
      fmt::format("run `vpnaas inventory validate` on the {} revision and fix what it reports",
                  side));
}

// The device model is dropped as soon as the plan is built (a plan holds its
// own strings), so a worker holds at most one device's two plans.
Result<DevicePlan> plan_of(const DeviceRef& ref, const Side& side) {
  auto model = render::build_device_model(ref, side.input);
  if (!model) {
    Error e = model.error();
    e.message = fmt::format("{} inventory: {}", side.name, e.message);
    return e;
  }
  return render::routeros::build_plan(*model, side.input);
}

// A device as it is in base and in head; null on the side it is missing from.
struct Pair {
  const DeviceRef* base = nullptr;
  const DeviceRef* head = nullptr;
};

DeviceDiff describe(const DeviceRef& ref, DeviceDiff::Status status) {
  DeviceDiff diff;
  diff.status = status;
  diff.device = ref.device->name.value;
  diff.group = ref.group;
  diff.cluster_router = ref.cluster != nullptr;
  diff.routeros = ref.device->settings.routeros.major;
  return diff;
}

Result<DeviceDiff> diff_pair(const Pair& pair, const Side& old_side, const Side& new_side) {
  static const DevicePlan empty;
  if (pair.head == nullptr) {
    auto before = plan_of(*pair.base, old_side);
    if (!before) {
      return before.error();
    }
    DeviceDiff diff = describe(*pair.base, DeviceDiff::Status::removed);
    diff.items = diff_plans(*before, empty);
    return diff;
  }
  auto after = plan_of(*pair.head, new_side);
  if (!after) {
    return after.error();
  }
  DeviceDiff diff = describe(*pair.head, DeviceDiff::Status::added);
  if (pair.base == nullptr) {
    diff.items = diff_plans(empty, *after);
    return diff;
  }
  auto before = plan_of(*pair.base, old_side);
  if (!before) {
    return before.error();
  }
  diff.items = diff_plans(*before, *after);
  diff.status = diff.items.empty() ? DeviceDiff::Status::unchanged : DeviceDiff::Status::changed;
  return diff;
}

} // namespace

Status diff_each_device(const Workspace& base, const Workspace& head, const DeviceDiffSink& sink,
                        unsigned threads) {
  if (Status s = require_valid(base, "base"); !s) {
    return s;
  }
  if (Status s = require_valid(head, "head"); !s) {
    return s;
  }
  const Side old_side("base", base);
  const Side new_side("head", head);
  // Device names are unique across a valid inventory, so the name is the
  // device's identity between revisions (a router swap keeps its name).
  std::unordered_map<std::string_view, std::size_t> base_by_name;
  base_by_name.reserve(old_side.refs.size());
  for (std::size_t i = 0; i < old_side.refs.size(); ++i) {
    base_by_name.emplace(old_side.refs[i].device->name.value, i);
  }
  std::vector<Pair> pairs;
  pairs.reserve(new_side.refs.size() + old_side.refs.size());
  std::vector<bool> in_head(old_side.refs.size(), false);
  for (const DeviceRef& ref : new_side.refs) {
    auto it = base_by_name.find(ref.device->name.value);
    const DeviceRef* before = nullptr;
    if (it != base_by_name.end()) {
      in_head[it->second] = true;
      before = &old_side.refs[it->second];
    }
    pairs.push_back(Pair{before, &ref});
  }
  for (std::size_t i = 0; i < old_side.refs.size(); ++i) {
    if (!in_head[i]) {
      pairs.push_back(Pair{&old_side.refs[i], nullptr});
    }
  }

  if (threads == 0) {
    threads = std::max(1U, std::thread::hardware_concurrency());
  }
  return detail::in_order<DeviceDiff>(
      pairs.size(), threads, [&](std::size_t i) { return diff_pair(pairs[i], old_side, new_side); },
      [&](DeviceDiff&& diff) { return sink(std::move(diff)); });
}

Result<InventoryDiff> diff_workspaces(const Workspace& base, const Workspace& head,
                                      unsigned threads) {
  InventoryDiff out;
  Status s = diff_each_device(
      base, head,
      [&](DeviceDiff&& device) -> Status {
        out.devices.push_back(std::move(device));
        return Ok{};
      },
      threads);
  if (!s) {
    return s.error();
  }
  return out;
}

} // namespace vpnaas::plan
