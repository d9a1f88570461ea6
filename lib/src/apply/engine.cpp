#include <vpnaas/apply/apply.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "device_apply.hpp"

namespace vpnaas::apply {

const char* to_string(Stage stage) {
  switch (stage) {
  case Stage::queued:
    return "queued";
  case Stage::connect:
    return "connect";
  case Stage::host_key:
    return "host-key";
  case Stage::authenticate:
    return "authenticate";
  case Stage::lock:
    return "lock";
  case Stage::backup:
    return "backup";
  case Stage::upload:
    return "upload";
  case Stage::import:
    return "import";
  case Stage::cleanup:
    return "cleanup";
  case Stage::done:
    return "done";
  }
  return "unknown";
}

std::vector<DeviceResult> apply(const std::vector<Target>& targets, const Options& given) {
  Options options = given;
  if (options.run_id.empty()) {
    options.run_id = make_run_id(options.revision);
  }
  std::vector<DeviceResult> results(targets.size());
  std::mutex progress_mutex;
  auto notify = [&](const Progress& progress) {
    if (options.on_progress) {
      std::lock_guard lock(progress_mutex);
      options.on_progress(progress);
    }
  };
  for (std::size_t i = 0; i < targets.size(); ++i) {
    notify(Progress{i, &targets[i], Stage::queued, 1, nullptr});
  }

  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < targets.size(); i = next++) {
      const Target& target = targets[i];
      const auto start = std::chrono::steady_clock::now();
      DeviceResult result = apply_device(target, options, [&](Stage stage, int attempt) {
        notify(Progress{i, &target, stage, attempt, nullptr});
      });
      result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
      results[i] = std::move(result);
      notify(Progress{i, &target, Stage::done, results[i].attempts, &results[i]});
    }
  };

  const std::size_t count =
      std::clamp<std::size_t>(options.parallel, 1, std::max<std::size_t>(1, targets.size()));
  {
    // Joined at the end of this block, before `results` is handed back.
    std::vector<std::jthread> workers;
    workers.reserve(count);
    for (std::size_t w = 0; w < count; ++w) {
      workers.emplace_back(worker);
    }
  }
  return results;
}

} // namespace vpnaas::apply
