#include <vpnaas/core/join.hpp>

#include <fmt/format.h>

namespace vpnaas {

std::string join_first(const std::vector<std::string>& items, std::size_t shown) {
  std::string text;
  for (std::size_t i = 0; i < items.size() && i < shown; ++i) {
    text += (i == 0 ? "" : ", ") + items[i];
  }
  if (items.size() > shown) {
    text += fmt::format(" and {} more", items.size() - shown);
  }
  return text;
}

} // namespace vpnaas
