#include <vpnaas/apply/targets.hpp>
#include <vpnaas/render/generate.hpp>

namespace vpnaas::apply {

inventory::SshTarget ssh_target(const inventory::Device& device) {
  if (device.ssh) {
    return *device.ssh;
  }
  inventory::SshTarget target;
  target.host = device.public_ip.value.to_string();
  return target;
}

Result<std::vector<Target>> build_targets(const render::RenderInput& input,
                                          const std::vector<std::string>& customers,
                                          const std::vector<std::string>& devices,
                                          const std::set<std::string>* only) {
  const auto refs = render::index_devices(input.inventory, input.tunnels);
  render::GenerateOptions selection;
  selection.customers = customers;
  selection.devices = devices;
  auto selected = render::select_devices(refs, input.inventory, selection);
  if (!selected) {
    return selected.error();
  }
  std::vector<Target> targets;
  targets.reserve(selected->size());
  for (const render::DeviceRef* ref : *selected) {
    if (only != nullptr && only->count(ref->device->name.value) == 0) {
      continue;
    }
    auto script = render::render_device(*ref, input);
    if (!script) {
      return script.error();
    }
    targets.push_back(
        Target{ref->device->name.value, ssh_target(*ref->device), std::move(*script)});
  }
  return targets;
}

} // namespace vpnaas::apply
