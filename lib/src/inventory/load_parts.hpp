#pragma once

// The pieces of the loader, one per file kind. Each reads one YAML document
// into the model, reporting problems through the YamlFile.

#include <vpnaas/inventory/model.hpp>

#include <optional>
#include <string>
#include <vector>

#include "yaml_reader.hpp"

namespace vpnaas::inventory::detail {

// Keys that may appear under `defaults:`, on a cluster, on a customer and on
// a device.
const std::vector<std::string>& setting_keys();

// The level whose keys are being read, for the origins of what it sets.
struct SettingLayer {
  SettingLevel level = SettingLevel::defaults;
  std::string owner; // the customer or cluster name at those levels
};

// The built-in settings, their origins pointing at vpnaas.yaml as a whole.
DeviceSettings builtin_settings(const SourceLocation& global_file);

// Applies the setting keys present in `map` onto `settings` (inherited from
// the level above) and records where each one was written.
void apply_settings(YamlFile& file, const Mapping& map, const SettingLayer& layer,
                    DeviceSettings& settings);

// vpnaas.yaml: schema version, defaults, crypto suites, management.
void load_global(YamlFile& file, const YAML::Node& root, Inventory& inv);

// One device mapping (cluster router or site router), starting from the
// settings of its cluster or customer.
std::optional<Device> load_device(YamlFile& file, const YAML::Node& node,
                                  const DeviceSettings& inherited);

// The inventory's known_hosts file (`where` names it in messages); each line
// that is neither blank nor a comment must be an OpenSSH known_hosts entry.
PinnedKnownHosts load_known_hosts(const std::string& where, const std::string& text,
                                  Diagnostics& diags);

std::optional<Cluster> load_cluster(YamlFile& file, const YAML::Node& root, const Inventory& inv);
std::optional<Customer> load_customer(YamlFile& file, const YAML::Node& root, const Inventory& inv);

} // namespace vpnaas::inventory::detail
