#pragma once

#include <vpnaas/routeros/reader.hpp>

#include <cstddef>
#include <string_view>

namespace vpnaas::routeros::detail {

// Walks script text one character at a time with line and column tracking.
// Outside strings a backslash before a line end joins the lines: the
// backslash, the line end and the next line's indentation vanish, so
// `comment=\` + newline + `    "x"` reads as `comment="x"`. Strings do their
// own joining (see read_string) because there only the export's indent goes.
class Cursor {
public:
  explicit Cursor(std::string_view text) : m_text(text) {}

  bool at_end() {
    skip_continuations();
    return m_pos >= m_text.size();
  }
  // The next character after any continuation, or '\0' at the end.
  char peek() {
    skip_continuations();
    return m_pos < m_text.size() ? m_text[m_pos] : '\0';
  }
  char peek_at(std::size_t ahead) const {
    return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0';
  }
  // Raw access without continuation handling, for string bodies and comments.
  char raw_peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
  bool raw_at_end() const { return m_pos >= m_text.size(); }
  char advance();
  Position position() const { return Position{m_line, m_column}; }

  // True when a backslash at the current position starts a line join.
  bool at_line_join() const;
  // Skips the backslash and line end of a join (not the indentation).
  void skip_line_join();

private:
  void skip_continuations();

  std::string_view m_text;
  std::size_t m_pos = 0;
  int m_line = 1;
  int m_column = 1;
};

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}
inline bool is_line_end(char c) {
  return c == '\n';
}
inline bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

} // namespace vpnaas::routeros::detail
