#include <vpnaas/core/hex.hpp>

#include <fmt/format.h>

#include "parser.hpp"

namespace vpnaas::routeros::detail {
namespace {

bool is_hex(char c) {
  return hex_value(c) >= 0;
}

} // namespace

Value Parser::parse_string() {
  Value v;
  v.kind = Value::Kind::string;
  v.pos = m_cur.position();
  m_cur.advance(); // opening quote
  while (true) {
    if (m_cur.raw_at_end()) {
      error(v.pos, "unterminated string");
      break;
    }
    char c = m_cur.raw_peek();
    if (c == '"') {
      m_cur.advance();
      break;
    }
    if (c != '\\') {
      if (c == '$' || c == '?') {
        v.interpolates = true;
      }
      v.text.push_back(m_cur.advance());
      continue;
    }
    if (m_cur.at_line_join()) {
      m_cur.skip_line_join();
      // An export indents continued lines by four spaces; they are not data.
      for (int i = 0; i < 4 && m_cur.raw_peek() == ' '; ++i) {
        m_cur.advance();
      }
      continue;
    }
    Position at = m_cur.position();
    m_cur.advance();
    if (m_cur.raw_at_end()) {
      error(at, "unterminated string");
      break;
    }
    char e = m_cur.advance();
    switch (e) {
    case '"':
    case '\\':
    case '$':
    case '?':
      v.text.push_back(e);
      break;
    case 'n':
      v.text.push_back('\n');
      break;
    case 'r':
      v.text.push_back('\r');
      break;
    case 't':
      v.text.push_back('\t');
      break;
    case '_':
      v.text.push_back(' ');
      break;
    case 'a':
      v.text.push_back('\a');
      break;
    case 'b':
      v.text.push_back('\b');
      break;
    case 'f':
      v.text.push_back('\f');
      break;
    case 'v':
      v.text.push_back('\v');
      break;
    default:
      if (is_hex(e) && is_hex(m_cur.raw_peek())) {
        char low = m_cur.advance();
        v.text.push_back(static_cast<char>(hex_value(e) * 16 + hex_value(low)));
      } else {
        error(at, fmt::format("unknown escape '\\{}' in a string", e));
        v.text.push_back(e);
      }
    }
  }
  return v;
}

Value Parser::parse_variable(const Menu& menu) {
  Position pos = m_cur.position();
  m_cur.advance(); // '$'
  char c = m_cur.peek();
  if (c == '[') {
    return parse_substitution(menu);
  }
  if (c == '(') {
    return parse_group(menu);
  }
  Value v;
  v.kind = Value::Kind::variable;
  v.pos = pos;
  if (c == '"') {
    v.text = parse_string().text;
    return v;
  }
  while (is_alnum(m_cur.peek()) || m_cur.peek() == '_') {
    v.text.push_back(m_cur.advance());
  }
  if (v.text.empty()) {
    error(pos, "'$' without a variable name");
  }
  return v;
}

Value Parser::parse_substitution(const Menu& menu) {
  Value v;
  v.kind = Value::Kind::substitution;
  v.pos = m_cur.position();
  DepthGuard guard(*this, v.pos);
  m_cur.advance(); // '['
  if (guard.ok()) {
    v.commands = parse_commands(']', menu);
  }
  return v;
}

Value Parser::parse_block(const Menu& menu) {
  Value v;
  v.kind = Value::Kind::block;
  v.pos = m_cur.position();
  DepthGuard guard(*this, v.pos);
  m_cur.advance(); // '{'
  if (guard.ok()) {
    v.commands = parse_commands('}', menu);
  }
  return v;
}

} // namespace vpnaas::routeros::detail
