#pragma once

#include <vpnaas/apply/apply.hpp>

#include <functional>

namespace vpnaas::apply {

// Reports the step a device starts and the connection attempt it is on.
using StageReporter = std::function<void(Stage stage, int attempt)>;

// Runs every step for one target on the calling thread and returns its result
// (duration excluded: the caller times the whole). Never throws.
DeviceResult apply_device(const Target& target, const Options& options,
                          const StageReporter& report);

} // namespace vpnaas::apply
