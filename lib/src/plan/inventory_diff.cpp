#include <vpnaas/plan/diff.hpp>

#include <algorithm>

namespace vpnaas::plan {

std::size_t DeviceDiff::count(ItemChange::Kind kind) const {
  return static_cast<std::size_t>(std::count_if(
      items.begin(), items.end(), [&](const ItemChange& item) { return item.kind == kind; }));
}

bool InventoryDiff::has_changes() const {
  return std::any_of(devices.begin(), devices.end(), [](const DeviceDiff& device) {
    return device.status != DeviceDiff::Status::unchanged;
  });
}

std::size_t InventoryDiff::count(DeviceDiff::Status status) const {
  return static_cast<std::size_t>(
      std::count_if(devices.begin(), devices.end(),
                    [&](const DeviceDiff& device) { return device.status == status; }));
}

std::size_t InventoryDiff::count(ItemChange::Kind kind) const {
  std::size_t total = 0;
  for (const auto& device : devices) {
    total += device.count(kind);
  }
  return total;
}

} // namespace vpnaas::plan
