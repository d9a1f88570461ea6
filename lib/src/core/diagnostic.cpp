#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/core/printable.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace vpnaas {

void Diagnostics::error(SourceLocation where, std::string code, std::string message,
                        std::string hint) {
  add(Diagnostic{Severity::error, std::move(where), std::move(code), std::move(message),
                 std::move(hint)});
}

void Diagnostics::io_error(SourceLocation where, std::string code, std::string message,
                           std::string hint) {
  Diagnostic d{Severity::error, std::move(where), std::move(code), std::move(message),
               std::move(hint)};
  d.io = true;
  add(std::move(d));
}

bool Diagnostics::has_io_errors() const {
  return std::any_of(m_items.begin(), m_items.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error && d.io; });
}

void Diagnostics::warning(SourceLocation where, std::string code, std::string message,
                          std::string hint) {
  add(Diagnostic{Severity::warning, std::move(where), std::move(code), std::move(message),
                 std::move(hint)});
}

void Diagnostics::add(Diagnostic d) {
  if (m_seen.insert(to_string(d.where) + '\n' + d.message).second) {
    m_items.push_back(std::move(d));
  }
}

void Diagnostics::append(const Diagnostics& other) {
  for (const auto& d : other.m_items) {
    add(d);
  }
}

bool Diagnostics::has_errors() const {
  return error_count() > 0;
}

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(std::count_if(
      m_items.begin(), m_items.end(), [](const auto& d) { return d.severity == Severity::error; }));
}

std::size_t Diagnostics::warning_count() const {
  return m_items.size() - error_count();
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = m_items;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& x, const Diagnostic& y) {
    return std::tie(x.where.file, x.where.line, x.where.column, x.severity) <
           std::tie(y.where.file, y.where.line, y.where.column, y.severity);
  });
  return out;
}

std::string format_diagnostic(const Diagnostic& d) {
  // Escaped here, where text meets the terminal, because messages quote file
  // content (names, keys, lock lines) and the file name itself may be hostile.
  std::string out =
      printable(fmt::format("{}: {}: {}", to_string(d.where),
                            d.severity == Severity::error ? "error" : "warning", d.message));
  if (!d.hint.empty()) {
    out += fmt::format("\n  fix: {}", printable(d.hint));
  }
  return out;
}

} // namespace vpnaas
