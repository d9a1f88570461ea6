#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "sim_engine.hpp"

namespace vpnaas::routeros::detail {
namespace {

// A property that names an item of another menu; RouterOS refuses dangling
// names on add/set, and vpnaas must remove dependents before what they name.
struct Reference {
  std::string_view menu;
  std::string_view prop;
  std::string_view target; // menu, "interface" for any interface menu, "table" for a routing table
  bool list = false;       // comma-separated names
  // RouterOS refuses to remove what is named. Not claimed for a VRF's
  // interfaces: no source says removing a member interface fails.
  bool blocks_removal = true;
};

constexpr std::array<Reference, 14> kReferences{{
    {"/ip ipsec peer", "profile", "/ip ipsec profile"},
    {"/ip ipsec identity", "peer", "/ip ipsec peer"},
    {"/ip ipsec policy", "peer", "/ip ipsec peer"},
    {"/ip ipsec policy", "proposal", "/ip ipsec proposal"},
    {"/ip address", "interface", "interface"},
    {"/interface list member", "list", "/interface list"},
    {"/interface list member", "interface", "interface"},
    {"/routing ospf area", "instance", "/routing ospf instance"},
    {"/routing ospf interface-template", "area", "/routing ospf area"},
    {"/routing ospf interface-template", "interfaces", "interface", true},
    {"/routing ospf network", "area", "/routing ospf area"},
    {"/ip vrf", "interfaces", "interface", true, false},
    {"/routing ospf instance", "vrf", "/ip vrf"},
    {"/ip route", "routing-table", "table"},
}};

// A VRF's routing table has the VRF's name (MikroTik's VRF page); other
// tables are `/routing table` entries.
bool names_table(const std::string& menu, const Item& item, const std::string& name) {
  return (menu == "/ip vrf" || menu == "/routing table") && prop_or_default(item, "name") == name;
}

bool is_interface_menu(const std::string& menu) {
  return menu.rfind("/interface ", 0) == 0 && menu != "/interface list" &&
         menu != "/interface list member";
}

std::vector<std::string> split_names(const std::string& value, bool list) {
  std::vector<std::string> out;
  if (!list) {
    out.push_back(value);
    return out;
  }
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    out.push_back(value.substr(start, comma - start));
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  return out;
}

} // namespace

void Engine::check_unique(const std::string& menu, const Item& item, const Command& cmd) {
  static const std::array<std::pair<std::string_view, std::array<std::string_view, 2>>, 10> keys{{
      {"/interface gre", {"name", ""}},
      {"/interface list", {"name", ""}},
      {"/interface list member", {"list", "interface"}},
      {"/ip ipsec peer", {"name", ""}},
      {"/ip ipsec profile", {"name", ""}},
      {"/ip ipsec proposal", {"name", ""}},
      {"/ip firewall address-list", {"list", "address"}},
      {"/routing ospf instance", {"name", ""}},
      {"/routing ospf area", {"name", ""}},
      {"/ip vrf", {"name", ""}},
  }};
  auto same_key = [&](const Item& other, const std::array<std::string_view, 2>& key) {
    for (std::string_view k : key) {
      if (!k.empty() &&
          prop_or_default(other, std::string(k)) != prop_or_default(item, std::string(k))) {
        return false;
      }
    }
    return true;
  };
  for (const auto& [key_menu, key] : keys) {
    bool interface_clash = key_menu == "/interface gre" && is_interface_menu(menu);
    if (key_menu != menu && !interface_clash) {
      continue;
    }
    for (const auto& [other_menu, items] : m_router.menus()) {
      if (other_menu != menu && !(interface_clash && is_interface_menu(other_menu))) {
        continue;
      }
      charge_lookup(items.size(), cmd.pos);
      for (const Item& other : items) {
        if (other.id != item.id && same_key(other, key)) {
          throw SimError(cmd.pos, fmt::format("failure: {} already has an item with {}={}", menu,
                                              key[0], prop_or_default(item, std::string(key[0]))));
        }
      }
    }
  }
}

void Engine::check_references(const std::string& menu, const Item& item, const Command& cmd) {
  for (const Reference& r : kReferences) {
    auto it = item.props.find(std::string(r.prop));
    if (r.menu != menu || it == item.props.end()) {
      continue;
    }
    charge_lookup(it->second.size(), cmd.pos);
    for (const std::string& name : split_names(it->second, r.list)) {
      bool found = false;
      for (const auto& [other_menu, items] : m_router.menus()) {
        bool candidate = r.target == "interface" ? is_interface_menu(other_menu)
                         : r.target == "table"
                             ? other_menu == "/ip vrf" || other_menu == "/routing table"
                             : other_menu == r.target;
        if (!candidate) {
          continue;
        }
        charge_lookup(items.size(), cmd.pos);
        found = found || std::any_of(items.begin(), items.end(), [&](const Item& other) {
                  return prop_or_default(other, "name") == name;
                });
      }
      if (!found) {
        throw SimError(cmd.pos, fmt::format("input does not match any value of {}: {}={}", r.prop,
                                            r.prop, name));
      }
    }
  }
}

void Engine::check_gateway_table(const std::string& menu, const Item& item, const Command& cmd) {
  // "<address or interface>@<table>" resolves the gateway in that table
  // (MikroTik's VRF page): the table must exist.
  auto it = item.props.find("gateway");
  if (menu != "/ip route" || it == item.props.end()) {
    return;
  }
  auto at = it->second.rfind('@');
  if (at == std::string::npos) {
    return;
  }
  std::string table = it->second.substr(at + 1);
  bool found = false;
  for (const char* m : {"/ip vrf", "/routing table"}) {
    const auto& items = m_router.items(std::string(m));
    charge_lookup(items.size(), cmd.pos);
    found = found || std::any_of(items.begin(), items.end(),
                                 [&](const Item& other) { return names_table(m, other, table); });
  }
  if (!found) {
    throw SimError(cmd.pos, fmt::format("input does not match any value of routing-table: "
                                        "gateway={}",
                                        it->second));
  }
}

void Engine::check_not_referenced(const std::string& menu, const Item& item, const Command& cmd) {
  std::string name = prop_or_default(item, "name");
  if (name.empty()) {
    return;
  }
  for (const Reference& r : kReferences) {
    bool target = r.target == "interface" ? is_interface_menu(menu)
                  : r.target == "table"   ? menu == "/ip vrf" || menu == "/routing table"
                                          : r.target == menu;
    if (!r.blocks_removal) {
      continue;
    }
    if (!target) {
      continue;
    }
    for (const Item& user : m_router.items(std::string(r.menu))) {
      charge_lookup(1, cmd.pos);
      auto it = user.props.find(std::string(r.prop));
      if (it == user.props.end()) {
        continue;
      }
      charge_lookup(it->second.size(), cmd.pos);
      auto names = split_names(it->second, r.list);
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        throw SimError(cmd.pos,
                       fmt::format("cannot remove {}: still used by {}", describe_item(menu, item),
                                   describe_item(std::string(r.menu), user)));
      }
    }
  }
}

} // namespace vpnaas::routeros::detail
