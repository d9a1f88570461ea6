#include "plan_support.hpp"

#include <vpnaas/topology/lock_file.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

namespace vpnaas::test {
namespace {

const char* const kGlobal = R"(vpnaas: 1
defaults:
  transit-pool: 10.255.0.0/16
)";

const char* const kDc1 = R"(cluster: dc1
networks: [10.10.0.0/24]
devices:
  - { name: dc1-r1, public-ip: 203.0.113.1, router-id: 10.0.255.1 }
  - { name: dc1-r2, public-ip: 203.0.113.2, router-id: 10.0.255.2 }
)";

const char* const kDc2 = R"(cluster: dc2
networks: [10.20.0.0/24]
devices:
  - { name: dc2-r1, public-ip: 203.0.113.11, router-id: 10.0.255.11 }
)";

const char* kind_name(plan::ItemChange::Kind kind) {
  switch (kind) {
  case plan::ItemChange::Kind::added:
    return "added";
  case plan::ItemChange::Kind::changed:
    return "changed";
  case plan::ItemChange::Kind::removed:
    return "removed";
  }
  return "?";
}

const char* status_name(plan::DeviceDiff::Status status) {
  switch (status) {
  case plan::DeviceDiff::Status::unchanged:
    return "unchanged";
  case plan::DeviceDiff::Status::changed:
    return "changed";
  case plan::DeviceDiff::Status::added:
    return "added";
  case plan::DeviceDiff::Status::removed:
    return "removed";
  }
  return "?";
}

} // namespace

std::vector<PlanSite> sites(int count, int first) {
  std::vector<PlanSite> out;
  for (int i = first; i < first + count; ++i) {
    out.push_back(PlanSite{fmt::format("s{:03}", i), i, {}, {}});
  }
  return out;
}

std::string customer_yaml(const std::string& name, const std::string& cluster,
                          const std::vector<PlanSite>& sites) {
  std::string text = fmt::format("customer: {}\ncluster: {}\nsites:\n", name, cluster);
  for (const auto& s : sites) {
    const int hi = s.n / 250;
    const int lo = s.n % 250 + 1;
    text += fmt::format("  - name: {}\n    lan: [172.16.{}.0/24]\n", s.name, s.n);
    if (!s.site_extra.empty()) {
      text += fmt::format("    {}\n", s.site_extra);
    }
    text += fmt::format("    device: {{ name: {}-{}, public-ip: 198.18.{}.{}, "
                        "router-id: 10.200.{}.{}{}{} }}\n",
                        name, s.name, hi, lo, hi, lo, s.device_extra.empty() ? "" : ", ",
                        s.device_extra);
  }
  return text;
}

std::map<std::string, std::string> three_customers(const std::vector<PlanSite>& acme_sites) {
  return {
      {"vpnaas.yaml", kGlobal},
      {"clusters/dc1.yaml", kDc1},
      {"clusters/dc2.yaml", kDc2},
      {"customers/acme.yaml", customer_yaml("acme", "dc1", acme_sites)},
      {"customers/beta.yaml", customer_yaml("beta", "dc1", sites(2, 100))},
      {"customers/gamma.yaml", customer_yaml("gamma", "dc2", sites(2, 200))},
  };
}

std::unique_ptr<Workspace> open_files(const std::map<std::string, std::string>& files) {
  WorkspaceOptions options;
  options.root = "inv";
  options.files = files;
  options.write_lock = false;
  auto ws = open_workspace(options);
  REQUIRE(ws.ok());
  for (const auto& d : (*ws)->diagnostics.items()) {
    INFO(format_diagnostic(d));
    CHECK(d.severity != Severity::error);
  }
  REQUIRE((*ws)->valid());
  return std::move(*ws);
}

std::map<std::string, std::string> with_lock_of(std::map<std::string, std::string> files,
                                                const Workspace& previous) {
  files[topology::kLockFileName] = topology::render_lock(previous.allocation.lock);
  return files;
}

plan::InventoryDiff diff(const Workspace& base, const Workspace& head) {
  auto result = plan::diff_workspaces(base, head);
  INFO((result.ok() ? std::string() : to_string(result.error())));
  REQUIRE(result.ok());
  return std::move(*result);
}

const plan::DeviceDiff& device(const plan::InventoryDiff& diff, const std::string& name) {
  for (const auto& d : diff.devices) {
    if (d.device == name) {
      return d;
    }
  }
  static const plan::DeviceDiff missing;
  FAIL("device ", name, " is not in the diff");
  return missing;
}

std::string dump(const plan::InventoryDiff& diff) {
  std::string out;
  for (const auto& d : diff.devices) {
    out += fmt::format("{} {} {} cluster={} v{}\n", status_name(d.status), d.group, d.device,
                       d.cluster_router, d.routeros);
    for (const auto& item : d.items) {
      out += fmt::format("  {} {} {}\n", kind_name(item.kind), item.menu, item.tag);
      for (const auto& p : item.props) {
        out += fmt::format("    {}: {} -> {}{}{}\n", p.name, p.before.value_or("(absent)"),
                           p.after.value_or("(absent)"), p.secret ? " secret" : "",
                           p.flag ? " flag" : "");
      }
    }
  }
  return out;
}

const topology::Tunnel& tunnel(const Workspace& ws, const std::string& id) {
  for (const auto& t : ws.tunnels) {
    if (t.id == id) {
      return t;
    }
  }
  FAIL("no tunnel ", id);
  return ws.tunnels.front();
}

} // namespace vpnaas::test
