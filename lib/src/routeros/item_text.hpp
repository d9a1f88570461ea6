#pragma once

#include <vpnaas/routeros/simulator.hpp>

#include <string>
#include <vector>

// Reading simulated items as text, for the models built on a router's
// configuration (routing.cpp, firewall.cpp).
namespace vpnaas::routeros::detail {

// The property as written, or "" where the item has none.
inline std::string prop(const Item& item, const std::string& name) {
  auto it = item.props.find(name);
  return it == item.props.end() ? std::string() : it->second;
}

// A comma-separated value ("gre-a,gre-b") as its parts; none for "".
inline std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (!text.empty()) {
    auto comma = text.find(',', start);
    out.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  return out;
}

} // namespace vpnaas::routeros::detail
