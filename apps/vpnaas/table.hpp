#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace vpnaas::cli {

// A plain column-aligned table for terminals: header row, then rows.
class Table {
public:
  explicit Table(std::vector<std::string> header) : m_header(std::move(header)) {}
  void add(std::vector<std::string> row) { m_rows.push_back(std::move(row)); }
  bool empty() const { return m_rows.empty(); }
  void print(std::FILE* out) const;

private:
  std::vector<std::string> m_header;
  std::vector<std::vector<std::string>> m_rows;
};

} // namespace vpnaas::cli
