#include "table.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace vpnaas::cli {

void Table::print(std::FILE* out) const {
  std::vector<std::size_t> widths(m_header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  };
  measure(m_header);
  for (const auto& row : m_rows) {
    measure(row);
  }
  auto emit = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      bool last = i + 1 == row.size();
      line += last ? row[i] : fmt::format("{:<{}}  ", row[i], widths[i]);
    }
    fmt::print(out, "{}\n", line);
  };
  emit(m_header);
  for (const auto& row : m_rows) {
    emit(row);
  }
}

} // namespace vpnaas::cli
