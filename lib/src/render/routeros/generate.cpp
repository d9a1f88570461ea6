#include <vpnaas/render/generate.hpp>
#include <vpnaas/render/output_tree.hpp>
#include <vpnaas/render/routeros/converge.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <optional>
#include <set>
#include <thread>

namespace vpnaas::render {
namespace {

Status render_into(const DeviceRef& ref, const RenderInput& input, routeros::ScriptSink& sink) {
  auto model = build_device_model(ref, input);
  if (!model) {
    return model.error();
  }
  return routeros::write_script(routeros::build_plan(*model, input), sink);
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
  std::set<std::string> groups;
  for (const auto& name : options.customers) {
    const auto* customer = inv.find_customer(name);
    if (customer == nullptr) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("customer {} is not in the inventory", name));
    }
    groups.insert(name);
    groups.insert(customer->cluster.value);
  }
  std::set<std::string> devices(options.devices.begin(), options.devices.end());
  for (const auto& name : devices) {
    bool known = std::any_of(refs.begin(), refs.end(),
                             [&](const DeviceRef& r) { return r.device->name.value == name; });
    if (!known) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("device {} is not in the inventory", name));
    }
  }
  // Both filters narrow: --customer and --device together select the named
  // devices among the customers' routers, never more.
  std::vector<const DeviceRef*> out;
  for (const auto& ref : refs) {
    bool in_customers = options.customers.empty() || groups.count(ref.group) != 0;
    bool in_devices = options.devices.empty() || devices.count(ref.device->name.value) != 0;
    if (in_customers && in_devices) {
      out.push_back(&ref);
    }
  }
  if (out.empty() && !options.customers.empty() && !options.devices.empty()) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("no device named {} is a router of customer {} or its cluster",
                                  fmt::join(options.devices, ", "),
                                  fmt::join(options.customers, ", ")),
                      "--customer and --device together select the routers both name; drop one "
                      "of them");
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
  // Each device's outcome in its slot, so the summary and the first error
  // reported keep the devices' order whatever thread finished first.
  std::vector<std::optional<Result<GeneratedFile>>> outcomes(selected->size());
  on_all_cores(selected->size(), [&](std::size_t i) {
    const DeviceRef& ref = *(*selected)[i];
    if (options.dry_run) {
      CountingSink sink;
      Status s = render_into(ref, input, sink);
      outcomes[i] =
          s ? Result<GeneratedFile>(describe(ref, sink.bytes())) : Result<GeneratedFile>(s.error());
      return;
    }
    auto sink = tree->create(ref.relative_path());
    if (!sink) {
      outcomes[i] = sink.error();
      return;
    }
    Status s = render_into(ref, input, **sink);
    if (s) {
      s = (*sink)->close();
    }
    outcomes[i] = s ? Result<GeneratedFile>(describe(ref, (*sink)->bytes()))
                    : Result<GeneratedFile>(s.error());
  });
  std::set<std::string> written;
  for (auto& outcome : outcomes) {
    if (!outcome->ok()) {
      return outcome->error();
    }
    summary.bytes += (*outcome)->bytes;
    written.insert((*outcome)->path);
    summary.files.push_back(std::move(**outcome));
  }
  if (options.dry_run) {
    return summary;
  }
  if (selected->size() != refs.size()) {
    // The other routers of the inventory keep their previous file; files of
    // routers the inventory no longer has are not carried over.
    std::set<std::string> keep;
    for (const DeviceRef& ref : refs) {
      std::string relative = ref.relative_path();
      if (written.count(relative) == 0) {
        keep.insert(std::move(relative));
      }
    }
    if (Status s = tree->keep_previous(keep); !s) {
      return s.error();
    }
  }
  if (Status s = tree->commit(); !s) {
    return s.error();
  }
  return summary;
}

} // namespace vpnaas::render
