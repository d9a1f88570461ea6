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
