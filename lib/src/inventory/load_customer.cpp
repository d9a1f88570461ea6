#include <fmt/format.h>

#include "load_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

std::optional<Site> load_site(YamlFile& file, const YAML::Node& node,
                              const DeviceSettings& inherited) {
  Mapping map(file, node, "site", {"name", "lan", "device", "psk-epoch"});
  if (!map.ok()) {
    return std::nullopt;
  }
  Site site;
  site.where = map.where();
  if (auto v = map.require("name")) {
    if (auto name = file.name(*v, "site name")) {
      site.name = *name;
    }
  }
  if (auto v = map.require("lan")) {
    site.lan = file.prefix_list(*v, "lan", false);
  }
  if (auto v = map.get("psk-epoch")) {
    site.psk_epoch = file.integer(*v, "psk-epoch", 0, 1000000).value_or(0);
  }
  std::optional<Device> device;
  if (auto v = map.require("device")) {
    device = load_device(file, *v, inherited);
  }
  if (site.name.value.empty() || !device) {
    return std::nullopt;
  }
  site.device = std::move(*device);
  return site;
}

std::optional<TunnelOverride> load_override(YamlFile& file, const YAML::Node& node) {
  Mapping map(file, node, "tunnel override", {"between", "psk-epoch"});
  if (!map.ok()) {
    return std::nullopt;
  }
  TunnelOverride override_entry;
  override_entry.where = map.where();
  bool complete = false;
  if (auto v = map.require("between")) {
    if (file.expect_sequence(*v, "between")) {
      if (v->size() != 2) {
        file.error(file.at(*v), "wrong-count",
                   fmt::format("between must name exactly two ends, not {}", v->size()),
                   "write it like [brussels, antwerp] or [brussels, dc1-r1]");
      } else {
        auto a = file.name((*v)[0], "tunnel end");
        auto b = file.name((*v)[1], "tunnel end");
        if (a && b) {
          override_entry.a = *a;
          override_entry.b = *b;
          complete = true;
        }
      }
    }
  }
  if (auto v = map.get("psk-epoch")) {
    override_entry.psk_epoch = file.integer(*v, "psk-epoch", 0, 1000000).value_or(0);
  }
  if (!complete) {
    return std::nullopt;
  }
  return override_entry;
}

} // namespace

std::optional<Customer> load_customer(YamlFile& file, const YAML::Node& root,
                                      const Inventory& inv) {
  std::vector<std::string> keys{"customer",     "cluster", "topology",
                                "transit-pool", "sites",   "tunnels"};
  keys.insert(keys.end(), setting_keys().begin(), setting_keys().end());
  Mapping map(file, root, "customer file", keys);
  if (!map.ok()) {
    return std::nullopt;
  }
  Customer customer;
  customer.where = file.whole_file();
  if (auto v = map.require("customer")) {
    if (auto name = file.name(*v, "customer name")) {
      customer.name = *name;
    }
  }
  if (auto v = map.require("cluster")) {
    if (auto name = file.name(*v, "cluster name")) {
      customer.cluster = *name;
    }
  }
  // Read before the sites, whose devices start from these settings. They do
  // not reach the cluster's routers, which other customers share.
  customer.settings = inv.defaults.settings;
  apply_settings(file, map, {SettingLevel::customer, customer.name.value}, customer.settings);
  if (auto v = map.get("topology")) {
    if (auto t = file.choice(*v, "topology", {"full-mesh", "hub-and-spoke"})) {
      customer.topology = t->value == "full-mesh" ? Topology::full_mesh : Topology::hub_and_spoke;
    }
  }
  if (auto v = map.get("transit-pool")) {
    if (auto p = file.prefix(*v, "transit-pool")) {
      customer.transit_pool = *p;
    }
  }
  if (auto v = map.require("sites")) {
    if (file.expect_sequence(*v, "sites")) {
      if (v->size() == 0) {
        file.error(file.at(*v), "empty-list", "the customer has no sites",
                   "list at least one site under sites:");
      }
      for (const auto& item : *v) {
        if (auto site = load_site(file, item, customer.settings)) {
          customer.sites.push_back(std::move(*site));
        }
      }
    }
  }
  if (auto v = map.get("tunnels")) {
    if (file.expect_sequence(*v, "tunnels")) {
      for (const auto& item : *v) {
        if (auto o = load_override(file, item)) {
          customer.tunnels.push_back(std::move(*o));
        }
      }
    }
  }
  if (customer.name.value.empty()) {
    return std::nullopt;
  }
  return customer;
}

} // namespace vpnaas::inventory::detail
