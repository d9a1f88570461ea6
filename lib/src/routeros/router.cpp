#include <vpnaas/routeros/simulator.hpp>

#include <algorithm>

namespace vpnaas::routeros {

Router::Router(Version version) : m_version(version) {
  if (version.major >= 7) {
    add("/ip vrf", {{"name", "main"}, {"interfaces", "all"}}, true);
  }
}

const std::vector<Item>& Router::items(const std::string& menu) const {
  static const std::vector<Item> none;
  auto it = m_menus.find(menu);
  return it == m_menus.end() ? none : it->second;
}

std::uint64_t Router::add(const std::string& menu, std::map<std::string, std::string> props,
                          bool dynamic) {
  Item item;
  item.id = next_id();
  item.props = std::move(props);
  item.dynamic = dynamic;
  m_menus[menu].push_back(std::move(item));
  return m_last_id;
}

std::string Router::dump() const {
  std::string out;
  for (const auto& [menu, items] : m_menus) {
    if (items.empty()) {
      continue;
    }
    std::vector<std::string> lines;
    for (const Item& item : items) {
      std::string line = item.dynamic ? "  D" : "  ";
      for (const auto& [key, value] : item.props) {
        line += " " + key + "=" + value;
      }
      lines.push_back(std::move(line));
    }
    // Rule order is behaviour in filters and VRFs; elsewhere it is only history.
    if (menu != "/ip firewall filter" && menu != "/routing filter" && menu != "/ip vrf") {
      std::sort(lines.begin(), lines.end());
    }
    out += menu + "\n";
    for (const auto& line : lines) {
      out += line + "\n";
    }
  }
  return out;
}

} // namespace vpnaas::routeros
