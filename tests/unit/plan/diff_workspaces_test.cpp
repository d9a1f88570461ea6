// diff_workspaces on two revisions of an inventory: which routers change,
// and how.
#include <vpnaas/render/device_model.hpp>
#include <vpnaas/topology/allocation.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "plan_support.hpp"

using namespace vpnaas;
using namespace vpnaas::test;
using Kind = vpnaas::plan::ItemChange::Kind;
using DeviceStatus = vpnaas::plan::DeviceDiff::Status;

namespace {

std::vector<std::string> names_in_render_order(const Workspace& ws) {
  std::vector<std::string> out;
  for (const auto& ref : render::index_devices(ws.inventory, ws.tunnels)) {
    out.push_back(ref.device->name.value);
  }
  return out;
}

std::set<std::string> devices_with(const plan::InventoryDiff& diff, DeviceStatus status) {
  std::set<std::string> out;
  for (const auto& d : diff.devices) {
    if (d.status == status) {
      out.insert(d.device);
    }
  }
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("identical inventories: every device unchanged") {
  auto files = three_customers(sites(4));
  auto base = open_files(files);
  auto head = open_files(with_lock_of(files, *base));
  auto d = diff(*base, *head);
  CHECK_FALSE(d.has_changes());
  CHECK(d.count(DeviceStatus::unchanged) == d.devices.size());
  std::vector<std::string> order;
  for (const auto& device : d.devices) {
    CHECK(device.items.empty());
    order.push_back(device.device);
  }
  CHECK(order == names_in_render_order(*head));
  CHECK(d.devices.size() == 3 + 4 + 2 + 2);
  CHECK(device(d, "dc1-r1").cluster_router);
  CHECK(device(d, "dc1-r1").group == "dc1");
  CHECK_FALSE(device(d, "acme-s000").cluster_router);
  CHECK(device(d, "acme-s000").group == "acme");
  CHECK(device(d, "acme-s000").routeros == 7);
}

TEST_CASE("adding a site changes its customer's sites and cluster routers only") {
  constexpr int n = 4;
  auto base = open_files(three_customers(sites(n)));
  auto head = open_files(with_lock_of(three_customers(sites(n + 1)), *base));
  auto d = diff(*base, *head);
  CHECK(d.has_changes());

  CHECK(devices_with(d, DeviceStatus::added) == std::set<std::string>{"acme-s004"});
  CHECK(devices_with(d, DeviceStatus::changed) == std::set<std::string>{"acme-s000", "acme-s001",
                                                                        "acme-s002", "acme-s003",
                                                                        "dc1-r1", "dc1-r2"});
  CHECK(devices_with(d, DeviceStatus::unchanged) ==
        std::set<std::string>{"beta-s100", "beta-s101", "gamma-s200", "gamma-s201", "dc2-r1"});
  CHECK(devices_with(d, DeviceStatus::removed).empty());

  std::vector<std::string> order;
  for (const auto& device : d.devices) {
    order.push_back(device.device);
  }
  CHECK(order == names_in_render_order(*head));

  // Each existing end gains exactly the new tunnel's items: IPsec peer,
  // identity and policy, GRE, list member, address, peer address, OSPF; a
  // cluster router also the route from main back into the customer's VRF,
  // and the VRF itself lists one more tunnel.
  for (const auto& device : d.devices) {
    if (device.status != DeviceStatus::changed) {
      continue;
    }
    CAPTURE(device.device);
    bool cluster = device.device.rfind("dc1-", 0) == 0;
    CHECK(device.items.size() == (cluster ? 10u : 8u));
    CHECK(device.count(Kind::added) == (cluster ? 9u : 8u));
    for (const auto& item : device.items) {
      CHECK((contains(item.tag, "acme/s004") || item.tag == "vpnaas:vrf:acme"));
    }
  }
  const auto& added = device(d, "acme-s004");
  CHECK(added.group == "acme");
  CHECK(added.count(Kind::added) == added.items.size());
  for (const auto& item : added.items) {
    for (const auto& p : item.props) {
      CHECK_FALSE(p.before.has_value());
      CHECK(p.after.has_value());
    }
  }
}

TEST_CASE("an MTU change is one changed property on each tunnel of the site") {
  auto base = open_files(three_customers(sites(3)));
  auto changed_sites = sites(3);
  changed_sites[1].device_extra = "mtu: 1300";
  auto head = open_files(with_lock_of(three_customers(changed_sites), *base));
  auto d = diff(*base, *head);

  CHECK(devices_with(d, DeviceStatus::changed) ==
        std::set<std::string>{"acme-s000", "acme-s001", "acme-s002", "dc1-r1", "dc1-r2"});
  const auto& peer = device(d, "acme-s000");
  REQUIRE(peer.items.size() == 1);
  CHECK(peer.items[0].kind == Kind::changed);
  CHECK(peer.items[0].menu == "/interface gre");
  CHECK(peer.items[0].tag == "vpnaas:gre:acme/s000~acme/s001");
  REQUIRE(peer.items[0].props.size() == 1);
  CHECK(peer.items[0].props[0].name == "mtu");
  CHECK(peer.items[0].props[0].before == "1400");
  CHECK(peer.items[0].props[0].after == "1300");

  // The site itself: the same change on each of its four tunnels.
  const auto& site = device(d, "acme-s001");
  CHECK(site.items.size() == 4);
  for (const auto& item : site.items) {
    CHECK(item.menu == "/interface gre");
    REQUIRE(item.props.size() == 1);
    CHECK(item.props[0].name == "mtu");
    CHECK(item.props[0].after == "1300");
  }
}

TEST_CASE("removing a site: the device is removed, its peers lose its tunnels") {
  auto base = open_files(three_customers(sites(4)));
  auto fewer = sites(4);
  fewer.erase(fewer.begin() + 2);
  auto head = open_files(with_lock_of(three_customers(fewer), *base));
  auto d = diff(*base, *head);

  CHECK(devices_with(d, DeviceStatus::removed) == std::set<std::string>{"acme-s002"});
  CHECK(devices_with(d, DeviceStatus::changed) ==
        std::set<std::string>{"acme-s000", "acme-s001", "acme-s003", "dc1-r1", "dc1-r2"});
  CHECK(devices_with(d, DeviceStatus::added).empty());
  CHECK(d.count(DeviceStatus::unchanged) == 5);

  // Devices only in base come last.
  const auto& removed = d.devices.back();
  CHECK(removed.device == "acme-s002");
  CHECK(removed.group == "acme");
  CHECK_FALSE(removed.items.empty());
  CHECK(removed.count(Kind::removed) == removed.items.size());
  for (const auto& item : removed.items) {
    for (const auto& p : item.props) {
      CHECK(p.before.has_value());
      CHECK_FALSE(p.after.has_value());
    }
  }
  for (const auto& device : d.devices) {
    if (device.status != DeviceStatus::changed) {
      continue;
    }
    CAPTURE(device.device);
    bool cluster = device.device.rfind("dc1-", 0) == 0;
    CHECK(device.items.size() == (cluster ? 10u : 8u));
    CHECK(device.count(Kind::removed) == (cluster ? 9u : 8u));
    for (const auto& item : device.items) {
      CHECK((contains(item.tag, "acme/s002") || item.tag == "vpnaas:vrf:acme"));
    }
  }
}

TEST_CASE("a router swap renames items in place on its peers") {
  auto files = three_customers(sites(3));
  auto base = open_files(files);
  auto& acme = files["customers/acme.yaml"];
  const std::string old_name = "name: acme-s001,";
  REQUIRE(acme.find(old_name) != std::string::npos);
  acme.replace(acme.find(old_name), old_name.size(), "name: acme-s001b,");
  auto head = open_files(with_lock_of(files, *base));
  auto d = diff(*base, *head);

  CHECK(device(d, "acme-s001").status == DeviceStatus::removed);
  CHECK(device(d, "acme-s001b").status == DeviceStatus::added);
  // Tags follow the site, not the device: the peers' items stay and only the
  // names derived from the device change.
  const auto& peer = device(d, "acme-s000");
  CHECK(peer.status == DeviceStatus::changed);
  CHECK(peer.count(Kind::changed) == peer.items.size());
  std::set<std::string> values;
  for (const auto& item : peer.items) {
    CHECK(contains(item.tag, "acme/s000~acme/s001"));
    for (const auto& p : item.props) {
      values.insert(p.name + "=" + p.after.value_or("(absent)"));
    }
  }
  CHECK(values == std::set<std::string>{"name=gre-acme-s001b", "name=vpnaas-acme-s001b",
                                        "peer=vpnaas-acme-s001b", "interface=gre-acme-s001b",
                                        "interfaces=gre-acme-s001b"});
}

TEST_CASE("routing: ospf to static and back") {
  auto ospf_files = three_customers(sites(3));
  auto static_sites = sites(3);
  static_sites[1].device_extra = "routing: static";
  auto ospf = open_files(ospf_files);
  auto stat = open_files(with_lock_of(three_customers(static_sites), *ospf));
  const std::string id = "acme/s000~acme/s001";
  const std::string ospf_tag = "vpnaas:ospf-interface:" + id;
  const std::string route_tag = "vpnaas:route:" + id + ":172.16.1.0/24";
  const std::string gateway =
      topology::transit_addresses(stat->subnet_of(tunnel(*stat, id))).b.to_string();

  SUBCASE("to static") {
    auto d = diff(*ospf, *stat);
    CHECK(devices_with(d, DeviceStatus::changed) ==
          std::set<std::string>{"acme-s000", "acme-s001", "acme-s002", "dc1-r1", "dc1-r2"});
    const auto& peer = device(d, "acme-s000");
    REQUIRE(peer.items.size() == 2);
    CHECK(peer.items[0].kind == Kind::added);
    CHECK(peer.items[0].menu == "/ip route");
    CHECK(peer.items[0].tag == route_tag);
    REQUIRE(peer.items[0].props.size() == 3);
    CHECK(peer.items[0].props[0].name == "dst-address");
    CHECK(peer.items[0].props[0].after == "172.16.1.0/24");
    CHECK(peer.items[0].props[1].name == "gateway");
    CHECK(peer.items[0].props[1].after == gateway);
    CHECK(peer.items[0].props[2].name == "distance");
    CHECK(peer.items[0].props[2].after == "1");
    CHECK(peer.items[1].kind == Kind::removed);
    CHECK(peer.items[1].menu == "/routing ospf interface-template");
    CHECK(peer.items[1].tag == ospf_tag);

    // The static site stops running OSPF altogether: instance, area, its
    // LAN's template and the firewall rule for OSPF go with its tunnels'.
    const auto& site = device(d, "acme-s001");
    CHECK(site.count(Kind::changed) == 0);
    CHECK(site.count(Kind::added) == 4);
    CHECK(site.count(Kind::removed) == 4 + 4);
    std::set<std::string> removed;
    for (const auto& item : site.items) {
      if (item.kind == Kind::removed) {
        removed.insert(item.tag);
      }
    }
    CHECK(removed.count("vpnaas:ospf-instance:acme") == 1);
    CHECK(removed.count("vpnaas:ospf-area:acme") == 1);
    CHECK(removed.count("vpnaas:ospf-network:acme:172.16.1.0/24") == 1);
    CHECK(removed.count("vpnaas:filter:ospf") == 1);
  }
  SUBCASE("back to ospf") {
    auto d = diff(*stat, *ospf);
    const auto& peer = device(d, "acme-s000");
    REQUIRE(peer.items.size() == 2);
    CHECK(peer.items[0].kind == Kind::added);
    CHECK(peer.items[0].tag == ospf_tag);
    CHECK(peer.items[1].kind == Kind::removed);
    CHECK(peer.items[1].tag == route_tag);
    CHECK(peer.items[1].props[1].before == gateway);
  }
}

TEST_CASE("a RouterOS 6 downgrade changes only that router's script") {
  auto base = open_files(three_customers(sites(3)));
  auto v6_sites = sites(3);
  v6_sites[1].device_extra = "routeros: 6";
  auto head = open_files(with_lock_of(three_customers(v6_sites), *base));
  auto d = diff(*base, *head);
  CHECK(devices_with(d, DeviceStatus::changed) == std::set<std::string>{"acme-s001"});
  const auto& site = device(d, "acme-s001");
  CHECK(site.routeros == 6);
  // OSPF moves to the v6 menus: new items there, the v7 templates removed.
  bool v6_interface = false;
  bool v7_template_removed = false;
  for (const auto& item : site.items) {
    v6_interface |= item.kind == Kind::added && item.menu == "/routing ospf interface";
    v7_template_removed |=
        item.kind == Kind::removed && item.menu == "/routing ospf interface-template";
  }
  CHECK(v6_interface);
  CHECK(v7_template_removed);
}

TEST_CASE("the diff does not depend on the number of threads, nor does streaming") {
  auto base = open_files(three_customers(sites(4)));
  auto other = sites(5);
  other.erase(other.begin() + 1);
  other[0].device_extra = "mtu: 1350";
  auto head = open_files(with_lock_of(three_customers(other), *base));
  auto one = plan::diff_workspaces(*base, *head, 1);
  REQUIRE(one.ok());
  const std::string once = dump(*one);
  CHECK(once == dump(diff(*base, *head)));
  for (unsigned threads : {2U, 3U, 8U, 64U}) {
    CAPTURE(threads);
    plan::InventoryDiff streamed;
    Status s = plan::diff_each_device(
        *base, *head,
        [&](plan::DeviceDiff&& device) -> Status {
          streamed.devices.push_back(std::move(device));
          return Ok{};
        },
        threads);
    REQUIRE(s.ok());
    CHECK(dump(streamed) == once);
  }
}

TEST_CASE("a sink's error stops the walk and is returned") {
  auto base = open_files(three_customers(sites(6)));
  for (unsigned threads : {1U, 2U, 4U}) {
    CAPTURE(threads);
    int calls = 0;
    Status s = plan::diff_each_device(
        *base, *base,
        [&](plan::DeviceDiff&&) -> Status {
          if (++calls < 3) {
            return Ok{};
          }
          return make_error(ErrorCode::io, "stdout is closed");
        },
        threads);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::io);
    CHECK(s.error().message == "stdout is closed");
    CHECK(calls == 3);
  }
}

TEST_CASE("an invalid revision is refused with the side it is on") {
  auto good = open_files(three_customers(sites(2)));
  auto files = three_customers(sites(2));
  files["customers/gamma.yaml"] = "customer: gamma\ncluster: nowhere\nsites: []\n";
  WorkspaceOptions options;
  options.root = "inv";
  options.files = files;
  auto bad = open_workspace(options);
  REQUIRE(bad.ok());
  REQUIRE_FALSE((*bad)->valid());

  auto head_bad = plan::diff_workspaces(*good, **bad);
  REQUIRE_FALSE(head_bad.ok());
  CHECK(head_bad.error().code == ErrorCode::invalid_input);
  CHECK(head_bad.error().message ==
        "the head inventory has errors, so what its scripts do cannot be compared");
  CHECK(head_bad.error().hint ==
        "run `vpnaas inventory validate` on the head revision and fix what it reports");

  auto base_bad = plan::diff_workspaces(**bad, *good);
  REQUIRE_FALSE(base_bad.ok());
  CHECK(base_bad.error().message ==
        "the base inventory has errors, so what its scripts do cannot be compared");
}
