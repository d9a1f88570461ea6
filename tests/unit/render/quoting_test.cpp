// Every inventory string reaches a script through quote(). These tests render
// an inventory full of hostile names (which validation would refuse) and read
// the output back with the RouterOS reader: every value stays inside its
// quotes, decodes to exactly what the inventory said, and no unexpected
// command or menu appears.
#include <vpnaas/render/generate.hpp>
#include <vpnaas/render/routeros/quote.hpp>
#include <vpnaas/routeros/reader.hpp>
#include <vpnaas/topology/allocation.hpp>

#include <doctest/doctest.h>

#include <functional>
#include <set>

#include "render_support.hpp"

namespace vpnaas::test {
namespace {

using render::routeros::quote;

const std::vector<std::string>& hostile_names() {
  static const std::vector<std::string> names{
      "evil\"; /system reset-configuration; :put \"",
      "dollar$var$[/system reboot]",
      "question?mark",
      "back\\slash\\",
      "new\nline /ip route remove [find]",
      "tab\tcr\rbell\a",
      "{brace} [bracket] (paren) ;semi #hash",
      "utf8-\xC3\xA9-del\x7F",
  };
  return names;
}

TEST_CASE("quote escapes quotes, backslash, dollar, question mark and control characters") {
  CHECK(quote("plain") == "\"plain\"");
  CHECK(quote("a\"b") == "\"a\\\"b\"");
  CHECK(quote("a\\b") == "\"a\\\\b\"");
  CHECK(quote("$x") == "\"\\$x\"");
  CHECK(quote("why?") == "\"why\\?\"");
  CHECK(quote("a\nb\x01\x7F") == "\"a\\0Ab\\01\\7F\"");
  CHECK(quote("\xC3\xA9") == "\"\\C3\\A9\"");
  CHECK(quote("") == "\"\"");
}

TEST_CASE("quoted values read back exactly") {
  std::string all;
  for (int c = 0; c < 256; ++c) {
    all.push_back(static_cast<char>(c));
  }
  std::vector<std::string> values = hostile_names();
  values.push_back(all);
  for (const auto& value : values) {
    auto read = routeros::read_script(":put " + quote(value) + "\n");
    REQUIRE(read.ok());
    REQUIRE(read.commands.size() == 1);
    REQUIRE(read.commands[0].args.size() == 1);
    const auto& v = read.commands[0].args[0].value;
    CHECK(v.kind == routeros::Value::Kind::string);
    CHECK_FALSE(v.interpolates);
    CHECK(v.text == value);
  }
}

// Every value in a script, depth first.
void walk(const std::vector<routeros::Command>& commands,
          const std::function<void(const routeros::Command&, const routeros::Value&)>& visit) {
  std::function<void(const routeros::Command&, const routeros::Value&)> value;
  std::function<void(const routeros::Command&, const routeros::Expr&)> expr;
  expr = [&](const routeros::Command& c, const routeros::Expr& e) {
    if (e.kind == routeros::Expr::Kind::leaf) {
      value(c, e.leaf);
    }
    if (e.lhs) {
      expr(c, *e.lhs);
    }
    if (e.rhs) {
      expr(c, *e.rhs);
    }
  };
  value = [&](const routeros::Command& c, const routeros::Value& v) {
    visit(c, v);
    if (v.expr) {
      expr(c, *v.expr);
    }
    walk(v.commands, visit);
  };
  for (const auto& c : commands) {
    visit(c, routeros::Value{});
    for (const auto& a : c.args) {
      value(c, a.value);
    }
  }
}

inventory::Device hostile_device(const std::string& name, std::uint32_t ip) {
  inventory::Device d;
  d.name.value = name;
  d.public_ip.value = Ipv4Address(ip);
  d.router_id.value = Ipv4Address(0x0A000000u + ip % 256);
  return d;
}

TEST_CASE("hostile inventory names never escape their quotes") {
  inventory::Inventory inv;
  inv.crypto.emplace("strong", inventory::builtin_strong_suite());
  const auto& names = hostile_names();
  inventory::Cluster cluster;
  cluster.name.value = "dc\"1$";
  cluster.networks.push_back({Ipv4Prefix(Ipv4Address(0x0A0A0000u), 24), {}});
  cluster.devices.push_back(hostile_device(names[0], 0xCB007101u));
  inv.clusters.push_back(cluster);
  inventory::Customer customer;
  customer.name.value = "cust?\n/";
  customer.cluster.value = cluster.name.value;
  for (std::size_t i = 1; i < names.size(); ++i) {
    inventory::Site site;
    site.name.value = names[i] + "-site";
    site.lan.push_back(
        {Ipv4Prefix(Ipv4Address(0xC0A80000u + static_cast<std::uint32_t>(i << 8)), 24), {}});
    site.device = hostile_device(names[i], 0xC0000200u + static_cast<std::uint32_t>(i));
    customer.sites.push_back(site);
  }
  inv.customers.push_back(customer);

  auto tunnels = topology::build_tunnels(inv);
  Diagnostics diags;
  auto allocation = topology::allocate(inv, tunnels, {}, diags);
  REQUIRE_FALSE(diags.has_errors());
  auto key = fixed_key();
  render::RenderInput input{inv, tunnels, allocation.lock, key, std::string("rev\"$?")};

  const std::set<std::string> menus{"/",
                                    "/ip ipsec profile",
                                    "/ip ipsec proposal",
                                    "/ip ipsec peer",
                                    "/ip ipsec identity",
                                    "/ip ipsec policy",
                                    "/interface gre",
                                    "/interface list",
                                    "/interface list member",
                                    "/ip address",
                                    "/ip vrf",
                                    "/ip firewall address-list",
                                    "/ip firewall filter",
                                    "/routing ospf instance",
                                    "/routing ospf area",
                                    "/routing ospf interface-template",
                                    "/ip route",
                                    "/interface vrrp",
                                    "/tool netwatch"};
  const std::set<std::string> verbs{"",        ":if",      ":local", ":set",  ":foreach", ":len",
                                    ":typeof", ":toarray", "{}",     "find",  "add",      "set",
                                    "remove",  "get",      "move",   ":error"};
  for (const auto& ref : render::index_devices(inv, tunnels)) {
    auto script = render::render_device(ref, input);
    REQUIRE(script.ok());
    auto read = routeros::read_script(*script);
    CHECK(read.ok());
    std::set<std::string> strings;
    walk(read.commands, [&](const routeros::Command& c, const routeros::Value& v) {
      CHECK(menus.count(routeros::menu_path(c.menu)) == 1);
      CHECK(verbs.count(c.name) == 1);
      if (v.kind == routeros::Value::Kind::string) {
        CHECK_FALSE(v.interpolates);
        strings.insert(v.text);
        // Data lines hold an item's values as one "a,b,c" string for :toarray.
        for (std::size_t start = 0, comma = 0; comma != std::string::npos; start = comma + 1) {
          comma = v.text.find(',', start);
          strings.insert(v.text.substr(start, comma - start));
        }
      }
    });
    for (const auto& end : ref.tunnels) {
      const auto& t = tunnels[end];
      const auto& peer = t.a.device == ref.device ? t.b : t.a;
      CHECK(strings.count("gre-" + peer.device->name.value) == 1);
      // Data lines hold the tag without its kind's prefix, "vpnaas:gre:".
      CHECK(strings.count(t.id) == 1);
    }
    routeros::Router router = router_for(*script);
    run_on(*script, router);
    std::set<std::string> tags;
    for (const auto& item : router.items("/interface gre")) {
      CHECK(item.props.at("name").rfind("gre-", 0) == 0);
      tags.insert(item.props.at("comment"));
    }
    CHECK(router.items("/interface gre").size() == ref.tunnels.size());
    for (const auto& end : ref.tunnels) {
      CHECK(tags.count("vpnaas:gre:" + tunnels[end].id) == 1);
    }
  }
}

} // namespace
} // namespace vpnaas::test
