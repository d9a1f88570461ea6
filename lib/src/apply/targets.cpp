#include <vpnaas/apply/targets.hpp>
#include <vpnaas/render/generate.hpp>

namespace vpnaas::apply {

transport::ssh::Endpoint ssh_target(const inventory::Device& device) {
  transport::ssh::Endpoint endpoint;
  if (!device.ssh) {
    endpoint.host = device.public_ip.value.to_string();
    return endpoint;
  }
  endpoint.host = device.ssh->host;
  endpoint.port = device.ssh->port;
  endpoint.user = device.ssh->user;
  if (device.ssh->host_key) {
    endpoint.host_key = transport::ssh::HostKeyPin{device.ssh->host_key->value,
                                                   to_string(device.ssh->host_key->where)};
  }
  return endpoint;
}

std::optional<transport::ssh::PinnedKnownHosts>
pinned_known_hosts(const inventory::Inventory& inventory) {
  if (!inventory.known_hosts) {
    return std::nullopt;
  }
  return transport::ssh::PinnedKnownHosts{inventory.known_hosts->where,
                                          inventory.known_hosts->text};
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
