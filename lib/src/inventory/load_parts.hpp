#pragma once

// The pieces of the loader, one per file kind. Each reads one YAML document
// into the model, reporting problems through the YamlFile.

#include <vpnaas/inventory/model.hpp>

#include <optional>
#include <string>
#include <vector>

#include "yaml_reader.hpp"

namespace vpnaas::inventory::detail {

// Keys that may appear both under `defaults:` and on a device.
const std::vector<std::string>& setting_keys();

// Applies the setting keys present in `map` onto `settings`; `crypto_where`
// receives the location of a `crypto:` key when there is one.
void apply_settings(YamlFile& file, const Mapping& map, DeviceSettings& settings,
                    SourceLocation& crypto_where);

// vpnaas.yaml: schema version, defaults, crypto suites, management.
void load_global(YamlFile& file, const YAML::Node& root, Inventory& inv);

// One device mapping (cluster router or site router), inheriting `defaults`.
std::optional<Device> load_device(YamlFile& file, const YAML::Node& node, const Inventory& inv);

std::optional<Cluster> load_cluster(YamlFile& file, const YAML::Node& root, const Inventory& inv);
std::optional<Customer> load_customer(YamlFile& file, const YAML::Node& root, const Inventory& inv);

} // namespace vpnaas::inventory::detail
