#include "cursor.hpp"

namespace vpnaas::routeros::detail {

char Cursor::advance() {
  if (m_pos >= m_text.size()) {
    return '\0';
  }
  char c = m_text[m_pos++];
  if (c == '\n') {
    ++m_line;
    m_column = 1;
  } else {
    ++m_column;
  }
  return c;
}

bool Cursor::at_line_join() const {
  if (raw_peek() != '\\') {
    return false;
  }
  char next = peek_at(1);
  return next == '\n' || (next == '\r' && peek_at(2) == '\n');
}

void Cursor::skip_line_join() {
  advance(); // the backslash
  if (raw_peek() == '\r') {
    advance();
  }
  advance(); // the line end
}

void Cursor::skip_continuations() {
  while (at_line_join()) {
    skip_line_join();
    while (raw_peek() == ' ' || raw_peek() == '\t') {
      advance();
    }
  }
}

} // namespace vpnaas::routeros::detail
