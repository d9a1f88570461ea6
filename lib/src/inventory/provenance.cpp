#include <vpnaas/inventory/provenance.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace vpnaas::inventory {

std::vector<EffectiveSetting> effective_settings(const DeviceSettings& s) {
  const SettingOrigins& o = s.origins;
  return {
      {"routeros", routeros::to_string(s.routeros), o.routeros},
      {"crypto", s.crypto, o.crypto},
      {"mtu", std::to_string(s.mtu), o.mtu},
      {"keepalive", s.keepalive.to_string(), o.keepalive},
      {"routing", to_string(s.routing), o.routing},
      {"ospf.area", s.ospf.area, o.ospf_area},
      {"ospf.hello", s.ospf.hello.to_string(), o.ospf_hello},
      {"ospf.dead", s.ospf.dead.to_string(), o.ospf_dead},
      {"ospf.cost", std::to_string(s.ospf.cost), o.ospf_cost},
  };
}

std::vector<DeviceProvenance> device_provenance(const Inventory& inv,
                                                const std::vector<std::string>& customers) {
  auto wanted = [&](const Customer& c) {
    return customers.empty() ||
           std::find(customers.begin(), customers.end(), c.name.value) != customers.end();
  };
  std::set<std::string> clusters;
  for (const auto& customer : inv.customers) {
    if (wanted(customer)) {
      clusters.insert(customer.cluster.value);
    }
  }
  std::vector<DeviceProvenance> out;
  for (const auto& cluster : inv.clusters) {
    if (!customers.empty() && clusters.count(cluster.name.value) == 0) {
      continue;
    }
    for (const auto& device : cluster.devices) {
      out.push_back({&device,
                     SettingLevel::cluster,
                     cluster.name.value,
                     {},
                     effective_settings(device.settings)});
    }
  }
  for (const auto& customer : inv.customers) {
    if (!wanted(customer)) {
      continue;
    }
    for (const auto& site : customer.sites) {
      for (const Device* router : site.routers()) {
        out.push_back({router, SettingLevel::customer, customer.name.value, site.name.value,
                       effective_settings(router->settings)});
      }
    }
  }
  return out;
}

std::string origin_file(const SettingOrigin& origin, const std::filesystem::path& root) {
  if (origin.level == SettingLevel::builtin || origin.where.file.empty()) {
    return {};
  }
  if (root.empty()) {
    return origin.where.file;
  }
  std::filesystem::path relative =
      std::filesystem::path(origin.where.file).lexically_relative(root);
  std::string text = relative.generic_string();
  if (text.empty() || text.rfind("..", 0) == 0) {
    return origin.where.file;
  }
  return text;
}

std::string describe_origin(const SettingOrigin& origin, const std::filesystem::path& root) {
  if (origin.level == SettingLevel::builtin) {
    return "built-in default";
  }
  std::string place = origin_file(origin, root);
  if (origin.where.line > 0) {
    place += fmt::format(":{}", origin.where.line);
  }
  if (origin.level == SettingLevel::customer || origin.level == SettingLevel::cluster) {
    return fmt::format("{} {}, {}", to_string(origin.level), origin.owner, place);
  }
  return fmt::format("{}, {}", to_string(origin.level), place);
}

} // namespace vpnaas::inventory
