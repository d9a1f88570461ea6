#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "load_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

// `vrrp: { address: 192.168.10.1/24, vrid: 10, primary: acme-bru-r1 }`. The
// address is the LAN gateway as hosts know it; a length after it is only
// checked against the LAN (validation), since the VRRP address itself is a /32.
std::optional<Vrrp> load_vrrp(YamlFile& file, const YAML::Node& node) {
  Mapping map(file, node, "vrrp", {"address", "vrid", "primary", "interface"});
  if (!map.ok()) {
    return std::nullopt;
  }
  Vrrp vrrp;
  vrrp.where = map.where();
  bool complete = true;
  if (auto v = map.require("address")) {
    auto text = file.string(*v, "vrrp address");
    if (text) {
      std::string_view address = *text;
      auto slash = address.find('/');
      if (slash != std::string_view::npos) {
        auto length = address.substr(slash + 1);
        int n = -1;
        if (!length.empty() && length.size() <= 2 &&
            std::all_of(length.begin(), length.end(),
                        [](char c) { return c >= '0' && c <= '9'; })) {
          n = std::stoi(std::string(length));
        }
        if (n < 0 || n > 32) {
          file.error(file.at(*v), "invalid-address",
                     fmt::format("vrrp address: \"{}\" has no valid prefix length", *text),
                     "write the gateway address like 192.168.10.1/24 or 192.168.10.1");
          complete = false;
        } else {
          vrrp.length = n;
        }
        address = address.substr(0, slash);
      }
      auto parsed = Ipv4Address::parse(address);
      if (!parsed) {
        file.error(file.at(*v), "invalid-address",
                   fmt::format("vrrp address: {}", parsed.error().message), parsed.error().hint);
        complete = false;
      } else {
        vrrp.address = {*parsed, file.at(*v)};
      }
    } else {
      complete = false;
    }
  } else {
    complete = false;
  }
  if (auto v = map.require("vrid")) {
    // RFC 5798 section 5.2.3: VRIDs 1..255.
    if (auto vrid = file.integer(*v, "vrid", 1, 255)) {
      vrrp.vrid = {*vrid, file.at(*v)};
    } else {
      complete = false;
    }
  } else {
    complete = false;
  }
  if (auto v = map.require("primary")) {
    if (v->IsSequence()) {
      // A group has one master while both routers run; two names cannot be.
      file.error(
          file.at(*v), "two-primaries",
          fmt::format("vrrp primary names {} routers; a VRRP group has one primary", v->size()),
          "name the one router that holds the gateway while both run, like "
          "primary: acme-bru-r1");
      complete = false;
    } else if (auto name = file.name(*v, "vrrp primary")) {
      vrrp.primary = *name;
    } else {
      complete = false;
    }
  } else {
    complete = false;
  }
  if (auto v = map.get("interface")) {
    if (auto name = file.name(*v, "vrrp interface")) {
      vrrp.interface = name->value;
    }
  }
  if (!complete) {
    return std::nullopt;
  }
  return vrrp;
}

// `devices:` of a highly available site: exactly two routers; the one the
// vrrp block names primary becomes `site.device`.
bool load_site_routers(YamlFile& file, Mapping& map, const YAML::Node& list,
                       const DeviceSettings& inherited, Site& site) {
  if (!file.expect_sequence(list, "devices")) {
    return false;
  }
  if (list.size() != 2) {
    file.error(file.at(list), "wrong-count",
               fmt::format("a highly available site has exactly two routers, not {}", list.size()),
               list.size() < 2
                   ? "a site with one router writes device: instead of devices:"
                   : "keep two routers under devices:; VRRP with more is not supported");
    return false;
  }
  auto first = load_device(file, list[0], inherited);
  auto second = load_device(file, list[1], inherited);
  std::optional<Vrrp> vrrp;
  if (auto v = map.get("vrrp")) {
    vrrp = load_vrrp(file, *v);
  } else {
    file.error(map.where(), "missing-key", "a site with devices: needs a vrrp: block",
               "add vrrp: { address: <LAN gateway>/<len>, vrid: <1-255>, primary: <router> }");
    return false;
  }
  if (!first || !second || !vrrp) {
    return false;
  }
  const std::string& primary = vrrp->primary.value;
  if (primary != first->name.value && primary != second->name.value) {
    file.error(
        vrrp->primary.where, "unknown-primary",
        fmt::format("vrrp primary {} is not one of the site's routers ({}, {})", primary,
                    first->name.value, second->name.value),
        fmt::format("write primary: {} or primary: {}", first->name.value, second->name.value));
    return false;
  }
  if (primary == second->name.value) {
    std::swap(first, second);
  }
  site.device = std::move(*first);
  site.backup = std::move(*second);
  site.vrrp = std::move(*vrrp);
  return true;
}

std::optional<Site> load_site(YamlFile& file, const YAML::Node& node,
                              const DeviceSettings& inherited) {
  Mapping map(file, node, "site", {"name", "lan", "device", "devices", "vrrp", "psk-epoch"});
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
  auto one = map.get("device");
  auto two = map.get("devices");
  bool loaded = false;
  if (one && two) {
    file.error(file.at(*two), "conflicting-keys", "a site has device: or devices:, not both",
               "keep device: for one router, or devices: (two routers) with a vrrp: block");
  } else if (two) {
    loaded = load_site_routers(file, map, *two, inherited, site);
  } else if (auto v = map.require("device")) {
    if (auto device = load_device(file, *v, inherited)) {
      site.device = std::move(*device);
      loaded = true;
    }
    if (auto vrrp = map.get("vrrp")) {
      file.error(file.at(*vrrp), "vrrp-without-backup",
                 "vrrp: needs two routers, but the site lists one under device:",
                 "list both routers under devices:, or remove the vrrp: block");
    }
  }
  if (site.name.value.empty() || !loaded) {
    return std::nullopt;
  }
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
