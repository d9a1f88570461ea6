#pragma once

#include <vpnaas/apply/apply.hpp>
#include <vpnaas/core/error.hpp>
#include <vpnaas/inventory/model.hpp>
#include <vpnaas/render/device_model.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::apply {

// How to reach a device: its `ssh:` block, or its public-ip on port 22 as
// user "vpnaas" when it has none. Never fails. The one place the inventory's
// SSH settings become the transport's.
transport::ssh::Endpoint ssh_target(const inventory::Device& device);

// The inventory's committed known_hosts file, for SshOptions::pinned_known_hosts.
std::optional<transport::ssh::PinnedKnownHosts>
pinned_known_hosts(const inventory::Inventory& inventory);

// One target per device that `customers` and `devices` select (both empty:
// every device; a customer brings its sites and its cluster's routers) and,
// when `only` is given, whose name is in it (`apply --changed-since`), each
// with its complete rendered script, in the renderer's device order. Fails
// with invalid_input naming an unknown customer or device, or as rendering
// fails.
Result<std::vector<Target>> build_targets(const render::RenderInput& input,
                                          const std::vector<std::string>& customers,
                                          const std::vector<std::string>& devices,
                                          const std::set<std::string>* only = nullptr);

} // namespace vpnaas::apply
