#pragma once

#include <map>
#include <string>

namespace vpnaas::mesh::detail {

// One configuration item's properties as the simulator holds them.
using Props = std::map<std::string, std::string>;

// The value of `key`, or "" when the item does not set it.
inline std::string prop(const Props& props, const std::string& key) {
  const auto it = props.find(key);
  return it == props.end() ? std::string() : it->second;
}

} // namespace vpnaas::mesh::detail
