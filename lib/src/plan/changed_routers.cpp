#include <vpnaas/plan/diff.hpp>

namespace vpnaas::plan {

Result<ChangedRouters> changed_routers(const Workspace& base, const Workspace& head) {
  ChangedRouters changed;
  auto walked = diff_each_device(base, head, [&](DeviceDiff&& d) -> Status {
    switch (d.status) {
    case DeviceDiff::Status::unchanged:
      ++changed.unchanged;
      break;
    case DeviceDiff::Status::removed:
      changed.gone.push_back(std::move(d.device));
      break;
    case DeviceDiff::Status::changed:
    case DeviceDiff::Status::added:
      changed.to_apply.insert(std::move(d.device));
      break;
    }
    return Ok{};
  });
  if (!walked) {
    return walked.error();
  }
  return changed;
}

} // namespace vpnaas::plan
