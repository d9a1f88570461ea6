#include "cmd_inventory.hpp"

#include <vpnaas/inventory/provenance.hpp>
#include <vpnaas/workspace/prune.hpp>
#include <vpnaas/workspace/tunnel_table.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "exit_codes.hpp"
#include "options.hpp"
#include "table.hpp"

namespace vpnaas::cli {
namespace {

nlohmann::json summary_json(const Workspace& ws) {
  std::size_t sites = 0;
  std::size_t ha_sites = 0;
  std::size_t routers = 0;
  for (const auto& c : ws.inventory.clusters) {
    routers += c.devices.size();
  }
  for (const auto& c : ws.inventory.customers) {
    sites += c.sites.size();
    for (const auto& site : c.sites) {
      routers += site.routers().size();
      ha_sites += site.highly_available() ? 1U : 0U;
    }
  }
  return nlohmann::json{{"clusters", ws.inventory.clusters.size()},
                        {"customers", ws.inventory.customers.size()},
                        {"sites", sites},
                        {"ha_sites", ha_sites},
                        {"routers", routers},
                        {"tunnels", ws.tunnels.size()}};
}

bool shown(const std::vector<std::string>& customers, const std::string& name) {
  return customers.empty() ||
         std::find(customers.begin(), customers.end(), name) != customers.end();
}

// Tunnels that end on `device`.
std::size_t tunnels_of(const Workspace& ws, const inventory::Device* device) {
  return static_cast<std::size_t>(
      std::count_if(ws.tunnels.begin(), ws.tunnels.end(), [&](const topology::Tunnel& t) {
        return t.a.device == device || t.b.device == device;
      }));
}

// The HA sites of the shown customers: both routers, which one is primary,
// the VRRP group, and each router's tunnel count.
nlohmann::json ha_sites_json(const Workspace& ws, const std::vector<std::string>& customers) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : ws.inventory.customers) {
    if (!shown(customers, c.name.value)) {
      continue;
    }
    for (const auto& site : c.sites) {
      if (!site.vrrp) {
        continue;
      }
      nlohmann::json routers = nlohmann::json::array();
      for (const inventory::Device* d : site.routers()) {
        routers.push_back({{"device", d->name.value},
                           {"role", d == &site.device ? "primary" : "backup"},
                           {"interface", site.vrrp->interface_on(*d)},
                           {"tunnels", tunnels_of(ws, d)}});
      }
      list.push_back({{"customer", c.name.value},
                      {"site", site.name.value},
                      {"address", site.vrrp->address.value.to_string()},
                      {"vrid", site.vrrp->vrid.value},
                      {"interface", site.vrrp->interface_on(site.device)},
                      {"routers", routers}});
    }
  }
  return list;
}

// Exit code for a workspace that could not be opened or is invalid; 0 when usable.
int check_opened(const OpenedWorkspace& opened, bool json, nlohmann::json& doc) {
  if (opened.error) {
    if (json) {
      doc["valid"] = opened.error->code != ErrorCode::invalid_input;
      doc["error"] = {{"code", error_code_name(opened.error->code)},
                      {"message", opened.error->message},
                      {"hint", opened.error->hint}};
      print_json(doc);
    } else {
      print_error(*opened.error);
    }
    return exit_code_for(opened.error->code);
  }
  const Diagnostics& diags = opened.workspace->diagnostics;
  doc["diagnostics"] = to_json(diags);
  if (!json) {
    print_diagnostics(diags);
  }
  if (diags.has_errors()) {
    if (json) {
      doc["valid"] = false;
      doc["errors"] = diags.error_count();
      doc["warnings"] = diags.warning_count();
      print_json(doc);
    } else {
      fmt::print(stderr, "{}: {} error{}, {} warning{}\n", inventory_label(opened),
                 diags.error_count(), diags.error_count() == 1 ? "" : "s", diags.warning_count(),
                 diags.warning_count() == 1 ? "" : "s");
    }
    return exit_code_for(diags);
  }
  return kExitOk;
}

nlohmann::json origin_json(const inventory::SettingOrigin& origin,
                           const std::filesystem::path& root) {
  nlohmann::json source{{"level", inventory::to_string(origin.level)}};
  if (origin.level == inventory::SettingLevel::builtin) {
    return source;
  }
  if (!origin.owner.empty()) {
    source["name"] = origin.owner;
  }
  source["file"] = inventory::origin_file(origin, root);
  source["line"] = origin.where.line;
  return source;
}

nlohmann::json provenance_json(const std::vector<inventory::DeviceProvenance>& devices,
                               const std::filesystem::path& root) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : devices) {
    nlohmann::json item{{"device", d.device->name.value},
                        {inventory::to_string(d.group_level), d.group}};
    if (!d.site.empty()) {
      item["site"] = d.site;
    }
    nlohmann::json settings = nlohmann::json::object();
    for (const auto& s : d.settings) {
      settings[s.key] = {{"value", s.value}, {"source", origin_json(s.origin, root)}};
    }
    item["settings"] = settings;
    list.push_back(item);
  }
  return list;
}

void print_provenance(const std::vector<inventory::DeviceProvenance>& devices,
                      const std::filesystem::path& root) {
  fmt::print("\nSettings of each device (the most specific wins: device, then customer or "
             "cluster, then defaults):\n");
  for (const auto& d : devices) {
    if (d.site.empty()) {
      fmt::print("{} (cluster {})\n", d.device->name.value, d.group);
    } else {
      fmt::print("{} (customer {}, site {})\n", d.device->name.value, d.group, d.site);
    }
    std::size_t key_width = 0;
    std::size_t value_width = 0;
    for (const auto& s : d.settings) {
      key_width = std::max(key_width, s.key.size() + 1);
      value_width = std::max(value_width, s.value.size());
    }
    for (const auto& s : d.settings) {
      fmt::print("  {:<{}} {:<{}}  ({})\n", s.key + ":", key_width, s.value, value_width,
                 inventory::describe_origin(s.origin, root));
    }
  }
}

} // namespace

int run_validate(const InventoryOptions& options) {
  OpenedWorkspace opened = open_inventory(options);
  nlohmann::json doc = source_json(opened);
  if (int code = check_opened(opened, options.json(), doc); code != kExitOk) {
    return code;
  }
  const Workspace& ws = *opened.workspace;
  if (options.json()) {
    doc["valid"] = true;
    doc["errors"] = 0;
    doc["warnings"] = ws.diagnostics.warning_count();
    doc["summary"] = summary_json(ws);
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& c : ws.allocation.changes) {
      changes.push_back(to_json(c));
    }
    doc["lock"] = {{"changes", changes}, {"written", ws.lock_written}};
    print_json(doc);
    return kExitOk;
  }
  print_lock_news(opened);
  auto s = summary_json(ws);
  const auto ha = s["ha_sites"].get<std::size_t>();
  fmt::print("{}: valid ({} cluster(s), {} customer(s), {} site(s){}, {} router(s), {} tunnel(s), "
             "{} warning(s))\n",
             inventory_label(opened), s["clusters"].get<std::size_t>(),
             s["customers"].get<std::size_t>(), s["sites"].get<std::size_t>(),
             ha == 0 ? std::string() : fmt::format(" ({} highly available)", ha),
             s["routers"].get<std::size_t>(), s["tunnels"].get<std::size_t>(),
             ws.diagnostics.warning_count());
  return kExitOk;
}

int run_show(const ShowOptions& options) {
  OpenedWorkspace opened = open_inventory(options.inventory);
  nlohmann::json doc = source_json(opened);
  if (int code = check_opened(opened, options.inventory.json(), doc); code != kExitOk) {
    return code;
  }
  const Workspace& ws = *opened.workspace;
  for (const auto& name : options.customers) {
    if (ws.inventory.find_customer(name) == nullptr) {
      return fail(make_error(ErrorCode::unknown_name,
                             fmt::format("customer {} is not in the inventory", name),
                             "`vpnaas inventory show` without --customer lists them all"),
                  options.inventory.json());
    }
  }
  std::optional<secrets::MasterKey> key;
  if (options.show_secrets) {
    std::optional<std::filesystem::path> created;
    auto loaded = master_key_for(opened, options.key_file, &created);
    if (!loaded) {
      return fail(loaded.error(), options.inventory.json());
    }
    if (created) {
      fmt::print(stderr, "created a new master key for the bundled inventory at {} (mode 0600)\n",
                 created->string());
    }
    key = std::move(*loaded);
  }
  auto rows = tunnel_rows(ws, options.customers, key ? &*key : nullptr);
  if (!rows) {
    return fail(rows.error(), options.inventory.json());
  }
  auto provenance = inventory::device_provenance(ws.inventory, options.customers);
  if (!options.inventory.json()) {
    print_lock_news(opened);
  }
  if (options.inventory.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : *rows) {
      auto end = [](const TunnelEndRow& e) {
        return nlohmann::json{{"endpoint", e.endpoint},
                              {"device", e.device},
                              {"public_ip", e.public_ip.to_string()},
                              {"address", e.transit.to_string()}};
      };
      nlohmann::json item{{"customer", r.customer}, {"id", r.id},
                          {"kind", r.kind},         {"a", end(r.a)},
                          {"b", end(r.b)},          {"subnet", r.subnet.to_string()}};
      if (r.psk) {
        item["psk"] = *r.psk;
      }
      list.push_back(item);
    }
    doc["valid"] = true;
    doc["tunnels"] = list;
    doc["ha_sites"] = ha_sites_json(ws, options.customers);
    doc["devices"] = provenance_json(provenance, ws.inventory.root);
    print_json(doc);
    return kExitOk;
  }
  std::vector<std::string> header{"CUSTOMER", "A DEVICE", "A PUBLIC", "A ADDR",
                                  "B DEVICE", "B PUBLIC", "B ADDR",   "SUBNET"};
  if (options.show_secrets) {
    header.emplace_back("PSK");
  }
  Table table(header);
  for (const auto& r : *rows) {
    std::vector<std::string> line{r.customer,
                                  r.a.device,
                                  r.a.public_ip.to_string(),
                                  r.a.transit.to_string(),
                                  r.b.device,
                                  r.b.public_ip.to_string(),
                                  r.b.transit.to_string(),
                                  r.subnet.to_string()};
    if (r.psk) {
      line.push_back(*r.psk);
    }
    table.add(std::move(line));
  }
  table.print(stdout);
  fmt::print("{} tunnel(s)\n", rows->size());
  for (const auto& site : ha_sites_json(ws, options.customers)) {
    std::vector<std::string> routers;
    for (const auto& r : site["routers"]) {
      routers.push_back(fmt::format("{} ({}, {} tunnel(s))", r["device"].get<std::string>(),
                                    r["role"].get<std::string>(), r["tunnels"].get<std::size_t>()));
    }
    fmt::print("site {}/{}: highly available, VRRP {} vrid {} on {}: {}\n",
               site["customer"].get<std::string>(), site["site"].get<std::string>(),
               site["address"].get<std::string>(), site["vrid"].get<int>(),
               site["interface"].get<std::string>(), fmt::join(routers, ", "));
  }
  if (options.settings) {
    print_provenance(provenance, ws.inventory.root);
  }
  return kExitOk;
}

int run_prune(const InventoryOptions& options) {
  InventoryOptions read = options;
  read.dry_run = true; // the lock is written once, below, with the retired subnets gone
  OpenedWorkspace opened = open_inventory(read);
  nlohmann::json doc = source_json(opened);
  if (int code = check_opened(opened, options.json(), doc); code != kExitOk) {
    return code;
  }
  auto pruned = prune_retired_subnets(*opened.workspace, opened.path.path, options.dry_run);
  if (!pruned) {
    return fail(pruned.error(), options.json());
  }
  const std::string lock = (opened.path.path / topology::kLockFileName).generic_string();
  if (options.json()) {
    nlohmann::json dropped = nlohmann::json::array();
    for (const auto& c : pruned->dropped) {
      dropped.push_back(to_json(c));
    }
    doc["ok"] = true;
    doc["dropped"] = dropped;
    doc["lock"] = {{"path", lock}, {"written", pruned->written}};
    print_json(doc);
    return kExitOk;
  }
  for (const auto& c : pruned->dropped) {
    fmt::print(stderr, "  {}\n", topology::describe(c));
  }
  fmt::print("{} {} retired subnet(s) from {}\n", options.dry_run ? "would drop" : "dropped",
             pruned->dropped.size(), lock);
  return kExitOk;
}

} // namespace vpnaas::cli
