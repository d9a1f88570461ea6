#pragma once

// Where each effective setting of a device comes from, for `inventory show`:
// the spec lets `defaults:`, a customer or cluster, and the device each set
// the same keys, and a reader should not have to replay that cascade by hand.

#include <vpnaas/inventory/model.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace vpnaas::inventory {

struct EffectiveSetting {
  std::string key;   // the YAML key; ospf's keys dotted ("ospf.cost")
  std::string value; // as it could be written in YAML: "static", "10s,3", "7.16"
  SettingOrigin origin;
};

// In the order of the spec's `defaults:` (routeros, crypto, mtu, keepalive,
// routing, ospf.area, ospf.hello, ospf.dead, ospf.cost).
std::vector<EffectiveSetting> effective_settings(const DeviceSettings& settings);

struct DeviceProvenance {
  const Device* device = nullptr;
  SettingLevel group_level = SettingLevel::cluster; // cluster or customer
  std::string group;                                // the cluster or customer name
  std::string site;                                 // empty for a cluster router
  std::vector<EffectiveSetting> settings;
};

// Cluster routers, then site devices, each group in name order. With
// `customers` non-empty: those customers' sites and the routers of their
// clusters (the other end of their tunnels).
std::vector<DeviceProvenance> device_provenance(const Inventory& inv,
                                                const std::vector<std::string>& customers);

// The origin's file relative to the inventory root ("customers/acme.yaml"),
// or as loaded when it lies elsewhere; empty for a built-in value.
std::string origin_file(const SettingOrigin& origin, const std::filesystem::path& root);

// "customer acme, customers/acme.yaml:3", "defaults, vpnaas.yaml:7",
// "device, customers/acme.yaml:14" or "built-in default".
std::string describe_origin(const SettingOrigin& origin, const std::filesystem::path& root);

} // namespace vpnaas::inventory
