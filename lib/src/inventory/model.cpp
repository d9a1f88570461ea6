#include <vpnaas/inventory/model.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace vpnaas::inventory {

const char* to_string(RoutingMode mode) {
  return mode == RoutingMode::ospf ? "ospf" : "static";
}

const char* to_string(Topology topology) {
  return topology == Topology::full_mesh ? "full-mesh" : "hub-and-spoke";
}

const char* to_string(Isolation isolation) {
  return isolation == Isolation::vrf ? "vrf" : "none";
}

const char* to_string(SettingLevel level) {
  switch (level) {
  case SettingLevel::builtin:
    return "built-in";
  case SettingLevel::defaults:
    return "defaults";
  case SettingLevel::cluster:
    return "cluster";
  case SettingLevel::customer:
    return "customer";
  case SettingLevel::device:
    return "device";
  }
  return "built-in";
}

std::string Keepalive::to_string() const {
  return fmt::format("{},{}", interval.to_string(), retries);
}

namespace {

template <class T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const T& item) { return item.name.value == name; });
  return it == items.end() ? nullptr : &*it;
}

} // namespace

std::uint64_t tunnel_count(const Customer& customer, const Cluster* cluster) {
  // Site to site: r_i * r_j for every two sites, ((sum r)^2 - sum r^2) / 2.
  std::uint64_t routers = 0;
  std::uint64_t square = 0;
  for (const Site& site : customer.sites) {
    const std::uint64_t r = site.backup ? 2 : 1;
    routers += r;
    square += r * r;
  }
  std::uint64_t count = cluster != nullptr ? routers * cluster->devices.size() : 0;
  if (customer.topology == Topology::full_mesh) {
    count += (routers * routers - square) / 2;
  }
  return count;
}

std::vector<const Device*> Site::routers() const {
  std::vector<const Device*> out{&device};
  if (backup) {
    out.push_back(&*backup);
  }
  return out;
}

const Cluster* Inventory::find_cluster(std::string_view name) const {
  return find_named(clusters, name);
}

const Customer* Inventory::find_customer(std::string_view name) const {
  return find_named(customers, name);
}

const CryptoSuite* Inventory::find_crypto(std::string_view name) const {
  auto it = crypto.find(std::string(name));
  return it == crypto.end() ? nullptr : &it->second;
}

CryptoSuite builtin_strong_suite() {
  CryptoSuite suite;
  suite.name = "strong";
  return suite;
}

} // namespace vpnaas::inventory
