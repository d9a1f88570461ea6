#pragma once

// Every router of an inventory in one place: cluster routers and site
// routers, found by name, by `serial:` (how a CWMP device is bound to its
// entry) and by customer or cluster, each with what it belongs to.

#include <vpnaas/core/error.hpp>
#include <vpnaas/inventory/model.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::inventory {

enum class DeviceRole { cluster_router, site_router };

struct DeviceEntry {
  const Device* device = nullptr;
  DeviceRole role = DeviceRole::site_router;
  // The cluster the router belongs to; for a site router its customer's
  // cluster (nullptr when the inventory names a cluster it does not have).
  const Cluster* cluster = nullptr;
  const Customer* customer = nullptr; // site routers only
  const Site* site = nullptr;         // site routers only
  std::string group;                  // the customer's or the cluster's name
  // The inventory's `management.acs`, nullptr when it has none: where the
  // router calls home over CWMP, and how often.
  const AcsSettings* acs = nullptr;

  const std::string& name() const { return device->name.value; }
};

// Points into the inventory it was built from, which must outlive it; the
// entries it returns point into the registry, so a temporary one cannot be
// asked (the && overloads are deleted).
class DeviceRegistry {
public:
  explicit DeviceRegistry(const Inventory& inventory);
  explicit DeviceRegistry(Inventory&&) = delete;

  // Cluster routers first (clusters in name order), then site routers
  // (customers in name order), each group's routers in name order: the order
  // scripts are rendered and applied in.
  const std::vector<DeviceEntry>& all() const& { return m_entries; }
  const std::vector<DeviceEntry>& all() const&& = delete;

  // nullptr when no router has that name (or that serial).
  const DeviceEntry* find(std::string_view name) const&;
  const DeviceEntry* find_by_serial(std::string_view serial) const&;
  const DeviceEntry* find(std::string_view) const&& = delete;
  const DeviceEntry* find_by_serial(std::string_view) const&& = delete;

  // The router named `name`, or unknown_name naming `where` (how messages
  // call the inventory) with the closest name as a hint.
  Result<const DeviceEntry*> lookup(std::string_view name, std::string_view where) const&;
  Result<const DeviceEntry*> lookup(std::string_view, std::string_view) const&& = delete;

  // A customer's routers: its site routers and its cluster's routers, in
  // all() order. Fails with unknown_name when there is no such customer.
  Result<std::vector<const DeviceEntry*>> of_customer(std::string_view customer) const&;
  // A cluster's routers, in name order; empty when there is no such cluster.
  std::vector<const DeviceEntry*> of_cluster(std::string_view cluster) const&;

  // The routers that `customers` and `devices` select, in all() order: both
  // empty selects every router; both given narrow each other. Fails with
  // unknown_name naming the first customer or device the inventory lacks, or
  // when both are given and no router is in both.
  Result<std::vector<const DeviceEntry*>> select(const std::vector<std::string>& customers,
                                                 const std::vector<std::string>& devices) const&;
  Result<std::vector<const DeviceEntry*>> select(const std::vector<std::string>&,
                                                 const std::vector<std::string>&) const&& = delete;

  std::vector<std::string> names() const;

private:
  const Inventory& m_inventory;
  std::vector<DeviceEntry> m_entries;
};

} // namespace vpnaas::inventory
