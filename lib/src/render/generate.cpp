#include <vpnaas/inventory/device_registry.hpp>
#include <vpnaas/render/generate.hpp>
#include <vpnaas/render/output_tree.hpp>
#include <vpnaas/render/routeros/converge.hpp>
#include <vpnaas/render/routeros/plan_digest.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <thread>

namespace vpnaas::render {
namespace {

Result<routeros::DevicePlan> plan_of(const DeviceRef& ref, const RenderInput& input) {
  auto model = build_device_model(ref, input);
  if (!model) {
    return model.error();
  }
  return routeros::build_plan(*model, input);
}

// Writes the device's script into `sink`; `digest`, when given, receives its plan digest.
Status render_into(const DeviceRef& ref, const RenderInput& input, routeros::ScriptSink& sink,
                   std::string* digest = nullptr) {
  auto plan = plan_of(ref, input);
  if (!plan) {
    return plan.error();
  }
  if (digest != nullptr) {
    *digest = routeros::plan_digest(*plan);
  }
  return routeros::write_script(*plan, sink);
}

// Counts bytes for --dry-run without keeping them.
class CountingSink : public routeros::ScriptSink {
public:
  void write(std::string_view text) override { m_bytes += text.size(); }
  std::uint64_t bytes() const { return m_bytes; }

private:
  std::uint64_t m_bytes = 0;
};

GeneratedFile describe(const DeviceRef& ref, std::uint64_t bytes) {
  return GeneratedFile{ref.relative_path(),
                       ref.group,
                       ref.device->name.value,
                       ref.cluster != nullptr,
                       ref.device->settings.routeros.major,
                       ref.tunnels.size(),
                       bytes};
}

} // namespace

Result<std::vector<const DeviceRef*>> select_devices(const std::vector<DeviceRef>& refs,
                                                     const inventory::Inventory& inv,
                                                     const GenerateOptions& options) {
  const inventory::DeviceRegistry registry(inv);
  auto selected = registry.select(options.customers, options.devices);
  if (!selected) {
    return selected.error();
  }
  std::map<const inventory::Device*, const DeviceRef*> by_device;
  for (const auto& ref : refs) {
    by_device.emplace(ref.device, &ref);
  }
  std::vector<const DeviceRef*> out;
  out.reserve(selected->size());
  for (const auto* entry : *selected) {
    if (auto it = by_device.find(entry->device); it != by_device.end()) {
      out.push_back(it->second);
    }
  }
  return out;
}

Result<std::string> render_device(const DeviceRef& ref, const RenderInput& input) {
  routeros::StringSink sink;
  if (Status s = render_into(ref, input, sink); !s) {
    return s.error();
  }
  return sink.text();
}

namespace {

// Runs job(i) for i in [0, count) on every core: rendering is CPU-bound and
// each device's script is independent of the others'.
void on_all_cores(std::size_t count, const std::function<void(std::size_t)>& job) {
  std::size_t threads =
      std::min<std::size_t>(count, std::max(1U, std::thread::hardware_concurrency()));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      job(i);
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) {
    pool.emplace_back(work);
  }
  work();
  for (auto& t : pool) {
    t.join();
  }
}

// A device to render and whether it was selected or only depends on the change.
struct Target {
  const DeviceRef* ref = nullptr;
  bool dependent = false;
};

// The selected devices plus every other device whose previous file no longer
// matches its plan (in index order), and the digests of the files to keep.
Result<std::vector<Target>> targets_for(const std::vector<DeviceRef>& refs,
                                        const std::vector<const DeviceRef*>& selected,
                                        const PreviousTree& previous, const RenderInput& input,
                                        std::map<std::string, std::string>& keep) {
  std::set<const DeviceRef*> chosen(selected.begin(), selected.end());
  std::vector<const DeviceRef*> others;
  for (const DeviceRef& ref : refs) {
    if (chosen.count(&ref) == 0 && previous.files.count(ref.relative_path()) != 0) {
      others.push_back(&ref);
    }
  }
  std::vector<std::optional<Result<std::string>>> digests(others.size());
  on_all_cores(others.size(), [&](std::size_t i) {
    auto plan = plan_of(*others[i], input);
    digests[i] = plan ? Result<std::string>(routeros::plan_digest(*plan))
                      : Result<std::string>(plan.error());
  });
  std::set<const DeviceRef*> dependents;
  for (std::size_t i = 0; i < others.size(); ++i) {
    if (!digests[i]->ok()) {
      return digests[i]->error();
    }
    const std::string path = others[i]->relative_path();
    auto recorded = previous.digests.find(path);
    if (recorded != previous.digests.end() && recorded->second == **digests[i]) {
      keep.emplace(path, std::move(**digests[i]));
    } else {
      dependents.insert(others[i]);
    }
  }
  std::vector<Target> targets;
  for (const DeviceRef& ref : refs) {
    if (chosen.count(&ref) != 0 || dependents.count(&ref) != 0) {
      targets.push_back(Target{&ref, chosen.count(&ref) == 0});
    }
  }
  return targets;
}

} // namespace

Result<GenerateSummary> generate(const RenderInput& input, const GenerateOptions& options) {
  std::vector<DeviceRef> refs = index_devices(input.inventory, input.tunnels);
  auto selected = select_devices(refs, input.inventory, options);
  if (!selected) {
    return selected.error();
  }
  GenerateSummary summary;
  std::unique_ptr<OutputTree> tree;
  if (options.dry_run) {
    summary.out = options.out;
  } else {
    auto begun = OutputTree::begin(options.out);
    if (!begun) {
      return begun.error();
    }
    tree = std::move(*begun);
    summary.out = tree->destination();
  }
  const PreviousTree previous = read_previous_tree(options.out);
  std::map<std::string, std::string> manifest; // starts as the files kept unchanged
  auto targets = targets_for(refs, *selected, previous, input, manifest);
  if (!targets) {
    return targets.error();
  }
  // Each device's outcome in its slot, so the summary and the first error
  // reported keep the devices' order whatever thread finished first.
  std::vector<std::optional<Result<GeneratedFile>>> outcomes(targets->size());
  std::vector<std::string> digests(targets->size());
  on_all_cores(targets->size(), [&](std::size_t i) {
    const DeviceRef& ref = *(*targets)[i].ref;
    auto done = [&](std::uint64_t bytes) {
      GeneratedFile file = describe(ref, bytes);
      file.dependent = (*targets)[i].dependent;
      return Result<GeneratedFile>(std::move(file));
    };
    if (options.dry_run) {
      CountingSink sink;
      Status s = render_into(ref, input, sink, &digests[i]);
      outcomes[i] = s ? done(sink.bytes()) : Result<GeneratedFile>(s.error());
      return;
    }
    auto sink = tree->create(ref.relative_path());
    if (!sink) {
      outcomes[i] = sink.error();
      return;
    }
    Status s = render_into(ref, input, **sink, &digests[i]);
    if (s) {
      s = (*sink)->close();
    }
    outcomes[i] = s ? done((*sink)->bytes()) : Result<GeneratedFile>(s.error());
  });
  std::set<std::string> kept_paths;
  for (const auto& entry : manifest) {
    kept_paths.insert(entry.first);
    summary.kept.push_back(entry.first);
  }
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (!outcomes[i]->ok()) {
      return outcomes[i]->error();
    }
    summary.bytes += (*outcomes[i])->bytes;
    manifest.emplace((*outcomes[i])->path, std::move(digests[i]));
    summary.files.push_back(std::move(**outcomes[i]));
  }
  for (const auto& path : previous.files) {
    if (manifest.count(path) == 0) {
      summary.removed.push_back(path);
    }
  }
  if (options.dry_run) {
    return summary;
  }
  if (Status s = tree->keep_previous(kept_paths); !s) {
    return s.error();
  }
  if (Status s = tree->write_manifest(manifest); !s) {
    return s.error();
  }
  if (Status s = tree->commit(); !s) {
    return s.error();
  }
  return summary;
}

} // namespace vpnaas::render
