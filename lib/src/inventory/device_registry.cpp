#include <vpnaas/core/suggest.hpp>
#include <vpnaas/inventory/device_registry.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

namespace vpnaas::inventory {
namespace {

constexpr const char* kListHint = "`vpnaas inventory show` lists the customers and their devices";

bool by_name(const DeviceEntry& x, const DeviceEntry& y) {
  return x.name() < y.name();
}

} // namespace

DeviceRegistry::DeviceRegistry(const Inventory& inventory) : m_inventory(inventory) {
  const AcsSettings* acs = inventory.management.acs ? &*inventory.management.acs : nullptr;
  for (const auto& cluster : inventory.clusters) {
    const auto first = m_entries.size();
    for (const auto& device : cluster.devices) {
      m_entries.push_back(DeviceEntry{&device, DeviceRole::cluster_router, &cluster, nullptr,
                                      nullptr, cluster.name.value, acs});
    }
    std::sort(m_entries.begin() + static_cast<std::ptrdiff_t>(first), m_entries.end(), by_name);
  }
  for (const auto& customer : inventory.customers) {
    const auto first = m_entries.size();
    const Cluster* cluster = inventory.find_cluster(customer.cluster.value);
    for (const auto& site : customer.sites) {
      for (const Device* router : site.routers()) {
        m_entries.push_back(DeviceEntry{router, DeviceRole::site_router, cluster, &customer, &site,
                                        customer.name.value, acs});
      }
    }
    std::sort(m_entries.begin() + static_cast<std::ptrdiff_t>(first), m_entries.end(), by_name);
  }
}

const DeviceEntry* DeviceRegistry::find(std::string_view name) const& {
  auto it = std::find_if(m_entries.begin(), m_entries.end(),
                         [&](const DeviceEntry& e) { return e.name() == name; });
  return it == m_entries.end() ? nullptr : &*it;
}

const DeviceEntry* DeviceRegistry::find_by_serial(std::string_view serial) const& {
  auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const DeviceEntry& e) {
    return e.device->serial && e.device->serial->value == serial;
  });
  return it == m_entries.end() ? nullptr : &*it;
}

Result<const DeviceEntry*> DeviceRegistry::lookup(std::string_view name,
                                                  std::string_view where) const& {
  if (const DeviceEntry* entry = find(name)) {
    return entry;
  }
  const auto close = closest_match(name, names());
  return make_error(ErrorCode::unknown_name,
                    fmt::format("no device named \"{}\" in {}", name, where),
                    close ? fmt::format("did you mean \"{}\"?", *close)
                          : "`vpnaas inventory show` lists the devices");
}

Result<std::vector<const DeviceEntry*>>
DeviceRegistry::of_customer(std::string_view customer) const& {
  return select({std::string(customer)}, {});
}

std::vector<const DeviceEntry*> DeviceRegistry::of_cluster(std::string_view cluster) const& {
  std::vector<const DeviceEntry*> out;
  for (const auto& entry : m_entries) {
    if (entry.role == DeviceRole::cluster_router && entry.group == cluster) {
      out.push_back(&entry);
    }
  }
  return out;
}

Result<std::vector<const DeviceEntry*>>
DeviceRegistry::select(const std::vector<std::string>& customers,
                       const std::vector<std::string>& devices) const& {
  // A customer brings its cluster's routers: its tunnels end there too.
  std::set<std::string, std::less<>> groups;
  for (const auto& name : customers) {
    const auto* customer = m_inventory.find_customer(name);
    if (customer == nullptr) {
      return make_error(ErrorCode::unknown_name,
                        fmt::format("customer {} is not in the inventory", name), kListHint);
    }
    groups.insert(name);
    groups.insert(customer->cluster.value);
  }
  std::set<std::string, std::less<>> wanted(devices.begin(), devices.end());
  for (const auto& name : wanted) {
    if (find(name) == nullptr) {
      return make_error(ErrorCode::unknown_name,
                        fmt::format("device {} is not in the inventory", name), kListHint);
    }
  }
  std::vector<const DeviceEntry*> out;
  for (const auto& entry : m_entries) {
    bool in_customers = customers.empty() || groups.count(entry.group) != 0;
    bool in_devices = devices.empty() || wanted.count(entry.name()) != 0;
    if (in_customers && in_devices) {
      out.push_back(&entry);
    }
  }
  if (out.empty() && !customers.empty() && !devices.empty()) {
    return make_error(ErrorCode::unknown_name,
                      fmt::format("no device named {} is a router of customer {} or its cluster",
                                  fmt::join(devices, ", "), fmt::join(customers, ", ")),
                      "--customer and --device together select the routers both name; drop one "
                      "of them");
  }
  return out;
}

std::vector<std::string> DeviceRegistry::names() const {
  std::vector<std::string> out;
  out.reserve(m_entries.size());
  for (const auto& entry : m_entries) {
    out.push_back(entry.name());
  }
  return out;
}

} // namespace vpnaas::inventory
