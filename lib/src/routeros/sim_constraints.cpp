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
  std::string_view target; // menu, or "interface" for any interface menu
  bool list = false;       // comma-separated names
};

constexpr std::array<Reference, 11> kReferences{{
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
}};

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
  static const std::array<std::pair<std::string_view, std::array<std::string_view, 2>>, 9> keys{{
      {"/interface gre", {"name", ""}},
      {"/interface list", {"name", ""}},
      {"/interface list member", {"list", "interface"}},
      {"/ip ipsec peer", {"name", ""}},
      {"/ip ipsec profile", {"name", ""}},
      {"/ip ipsec proposal", {"name", ""}},
      {"/ip firewall address-list", {"list", "address"}},
      {"/routing ospf instance", {"name", ""}},
      {"/routing ospf area", {"name", ""}},
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
        bool candidate =
            r.target == "interface" ? is_interface_menu(other_menu) : other_menu == r.target;
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

void Engine::check_not_referenced(const std::string& menu, const Item& item, const Command& cmd) {
  std::string name = prop_or_default(item, "name");
  if (name.empty()) {
    return;
  }
  for (const Reference& r : kReferences) {
    bool target = r.target == "interface" ? is_interface_menu(menu) : r.target == menu;
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
