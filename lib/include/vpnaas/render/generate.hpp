#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/render/device_model.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace vpnaas::render {

struct GenerateOptions {
  std::filesystem::path out;
  // Render only these customers' site routers and their clusters' routers,
  // only these devices, or, with both, the devices named here among those
  // customers' routers; both empty means every device. Each file is always
  // the device's complete configuration, since importing it removes every
  // vpnaas item it does not list.
  std::vector<std::string> customers;
  std::vector<std::string> devices;
  // Render and count, but write nothing.
  bool dry_run = false;
};

struct GeneratedFile {
  std::string path; // relative to the output folder: "<group>/<device>.rsc"
  std::string group;
  std::string device;
  bool cluster_router = false;
  int routeros = 7;
  std::size_t tunnels = 0;
  std::uint64_t bytes = 0;
  // Not selected, but its previous file no longer matched the inventory.
  bool dependent = false;
};

struct GenerateSummary {
  std::filesystem::path out;
  std::vector<GeneratedFile> files; // written, in rendering order
  std::uint64_t bytes = 0;
  std::vector<std::string> kept;    // previous files carried over unchanged (relative paths)
  std::vector<std::string> removed; // previous files dropped: routers no longer in the inventory
};

// The devices `options` selects, in index order. Fails with invalid_input
// naming the first customer or device that is not in the inventory, or when
// customers and devices are both given and no device is in both.
Result<std::vector<const DeviceRef*>> select_devices(const std::vector<DeviceRef>& refs,
                                                     const inventory::Inventory& inv,
                                                     const GenerateOptions& options);

// The script of one device, in memory (tests, golden files). Fails as
// build_device_model does.
Result<std::string> render_device(const DeviceRef& ref, const RenderInput& input);

// Writes one script per selected device to `<out>/<group>/<device>.rsc`,
// streaming each file so memory does not grow with the mesh, through an
// OutputTree: all files appear at once or, on any error, none changes.
// The folder never holds scripts that contradict each other: a previous file
// of an unselected device is carried over only when the digest its manifest
// records equals the device's current plan digest; otherwise that device is
// rendered too (`dependent`). Files of devices no longer in the inventory,
// and any other file, are dropped and listed in `removed`.
Result<GenerateSummary> generate(const RenderInput& input, const GenerateOptions& options);

} // namespace vpnaas::render
