#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace vpnaas {

// "a, b, c and 4 more": the first `shown` items joined by ", ", then how many
// were left out, so a message naming many devices or files stays one line.
std::string join_first(const std::vector<std::string>& items, std::size_t shown);

} // namespace vpnaas
