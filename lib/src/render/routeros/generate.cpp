#include <vpnaas/render/generate.hpp>
#include <vpnaas/render/output_tree.hpp>
#include <vpnaas/render/routeros/converge.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

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
  bool everything = options.customers.empty() && options.devices.empty();
  std::vector<const DeviceRef*> out;
  for (const auto& ref : refs) {
    if (everything || groups.count(ref.group) != 0 || devices.count(ref.device->name.value) != 0) {
      out.push_back(&ref);
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

Result<GenerateSummary> generate(const RenderInput& input, const GenerateOptions& options) {
  std::vector<DeviceRef> refs = index_devices(input.inventory, input.tunnels);
  auto selected = select_devices(refs, input.inventory, options);
  if (!selected) {
    return selected.error();
  }
  GenerateSummary summary;
  if (options.dry_run) {
    summary.out = options.out;
    for (const DeviceRef* ref : *selected) {
      CountingSink sink;
      if (Status s = render_into(*ref, input, sink); !s) {
        return s.error();
      }
      summary.files.push_back(describe(*ref, sink.bytes()));
      summary.bytes += sink.bytes();
    }
    return summary;
  }
  auto tree = OutputTree::begin(options.out);
  if (!tree) {
    return tree.error();
  }
  summary.out = (*tree)->destination();
  std::set<std::string> written;
  for (const DeviceRef* ref : *selected) {
    std::string relative = ref->relative_path();
    auto sink = (*tree)->create(relative);
    if (!sink) {
      return sink.error();
    }
    if (Status s = render_into(*ref, input, **sink); !s) {
      return s.error();
    }
    if (Status s = (*sink)->close(); !s) {
      return s.error();
    }
    GeneratedFile file = describe(*ref, (*sink)->bytes());
    summary.bytes += file.bytes;
    summary.files.push_back(std::move(file));
    written.insert(std::move(relative));
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
    if (Status s = (*tree)->keep_previous(keep); !s) {
      return s.error();
    }
  }
  if (Status s = (*tree)->commit(); !s) {
    return s.error();
  }
  return summary;
}

} // namespace vpnaas::render
