#include "load_parts.hpp"

namespace vpnaas::inventory::detail {

std::optional<Cluster> load_cluster(YamlFile& file, const YAML::Node& root, const Inventory& inv) {
  std::vector<std::string> keys{"cluster", "networks", "isolation", "devices"};
  keys.insert(keys.end(), setting_keys().begin(), setting_keys().end());
  Mapping map(file, root, "cluster file", keys);
  if (!map.ok()) {
    return std::nullopt;
  }
  Cluster cluster;
  cluster.where = file.whole_file();
  if (auto v = map.require("cluster")) {
    if (auto name = file.name(*v, "cluster name")) {
      cluster.name = *name;
    }
  }
  // Read before the devices, which start from these settings.
  cluster.settings = inv.defaults.settings;
  apply_settings(file, map, {SettingLevel::cluster, cluster.name.value}, cluster.settings);
  if (auto v = map.get("networks")) {
    cluster.networks = file.prefix_list(*v, "cluster network", true);
  }
  if (auto v = map.require("devices")) {
    if (file.expect_sequence(*v, "devices")) {
      if (v->size() == 0) {
        file.error(file.at(*v), "empty-list", "the cluster has no devices",
                   "list at least one router under devices:");
      }
      for (const auto& item : *v) {
        if (auto device = load_device(file, item, cluster.settings)) {
          cluster.devices.push_back(std::move(*device));
        }
      }
    }
  }
  cluster.isolation.where = cluster.where;
  if (auto v = map.get("isolation")) {
    if (auto choice = file.choice(*v, "isolation", {"vrf", "none"})) {
      cluster.isolation = {choice->value == "vrf" ? Isolation::vrf : Isolation::none,
                           choice->where};
      cluster.isolation_written = true;
    }
  } else {
    // VRFs exist from RouterOS 7 (lib/data/routeros/properties-v7.tsv, /ip vrf):
    // a cluster with a RouterOS 6 router keeps one table unless told otherwise,
    // and validation then says why its customers' LANs must not overlap.
    bool all_v7 = !cluster.devices.empty();
    for (const auto& device : cluster.devices) {
      all_v7 = all_v7 && device.settings.routeros.major >= 7;
    }
    cluster.isolation.value = all_v7 ? Isolation::vrf : Isolation::none;
  }
  if (cluster.name.value.empty()) {
    return std::nullopt;
  }
  return cluster;
}

} // namespace vpnaas::inventory::detail
