#pragma once

#include <vpnaas/core/source_location.hpp>

#include <set>
#include <string>
#include <vector>

namespace vpnaas {

enum class Severity { error, warning };

// One finding about the user's input: where, what, and how to fix it.
// `code` is a stable machine-readable identifier (e.g. "unknown-key") that
// scripts and tests can match on; `message` and `hint` are for people.
struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation where;
  std::string code;
  std::string message;
  std::string hint;
  // The environment failed (a file or folder could not be read), not the
  // input's content: the CLI exits 4 for it rather than 1.
  bool io = false;
};

// Collects every finding of a run instead of stopping at the first, so a user
// fixes all mistakes in one edit cycle.
class Diagnostics {
public:
  void error(SourceLocation where, std::string code, std::string message, std::string hint = {});
  void warning(SourceLocation where, std::string code, std::string message, std::string hint = {});
  // An error of the environment (Diagnostic::io).
  void io_error(SourceLocation where, std::string code, std::string message, std::string hint = {});
  // Adds `d` unless the same message at the same place is already there (one
  // cause reached through many tunnels or devices is reported once).
  void add(Diagnostic d);
  void append(const Diagnostics& other);

  bool has_errors() const;
  bool has_io_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  bool empty() const { return m_items.empty(); }

  // Sorted by file, line, column, then errors before warnings; stable otherwise.
  std::vector<Diagnostic> sorted() const;
  const std::vector<Diagnostic>& items() const { return m_items; }

private:
  std::vector<Diagnostic> m_items;
  std::set<std::string> m_seen;
};

// "file:line:col: error: message\n  fix: hint" as printed on a terminal, with
// control bytes and invalid UTF-8 escaped (see printable()).
std::string format_diagnostic(const Diagnostic& d);

} // namespace vpnaas
