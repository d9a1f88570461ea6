#pragma once

#include <vpnaas/routeros/reader.hpp>

#include <memory>
#include <string>
#include <vector>

#include "cursor.hpp"

namespace vpnaas::routeros::detail {

using Menu = std::vector<std::string>;

// Recursive-descent reader for RouterOS script text: commands in parser.cpp,
// strings, variables and blocks in values.cpp, expressions in expression.cpp,
// menu words in menu_words.cpp.
class Parser {
public:
  explicit Parser(std::string_view text) : m_cur(text) {}

  ReadResult run();

  // Commands up to `close` (']' or '}', consumed) or the end of input ('\0').
  std::vector<Command> parse_commands(char close, const Menu& menu);
  Value parse_string();
  Value parse_variable(const Menu& menu);
  Value parse_substitution(const Menu& menu);
  Value parse_block(const Menu& menu);
  Value parse_group(const Menu& menu);

private:
  friend class DepthGuard;

  Command parse_command(char close, const Menu& menu);
  Arg parse_arg(const Menu& menu);
  // A value glued to `key=` (string, substitution, group, block, variable),
  // or the empty word when `key=` is followed by a separator.
  Value parse_glued_value(const Menu& menu, Position pos);
  std::string read_bare();
  void skip_comment();
  void error(Position pos, std::string message);

  // Expressions (expression.cpp).
  struct Token {
    enum class Kind { value, op, close, end };
    Kind kind = Kind::end;
    std::string op;
    Value value;
    Position pos;
  };
  std::shared_ptr<const Expr> parse_expr(const Menu& menu, int min_precedence);
  std::shared_ptr<const Expr> parse_unary(const Menu& menu);
  Token& peek_token(const Menu& menu);
  Token take_token(const Menu& menu);
  Token lex_token(const Menu& menu);
  std::string read_expr_word();

  Cursor m_cur;
  std::vector<ReadError> m_errors;
  std::vector<Token> m_lookahead;
  int m_depth = 0;
  bool m_abort = false;
};

// Counts nesting; past the limit the parser reports one error and stops
// reading, so hostile input cannot exhaust the stack (here, or where the
// simulator and the destructors walk the tree).
class DepthGuard {
public:
  DepthGuard(Parser& parser, Position pos) : m_parser(parser) { deepen(pos); }
  ~DepthGuard() { m_parser.m_depth -= m_levels; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  bool ok() const { return !m_parser.m_abort; }
  // One more level held until this guard ends: each operator of a chain such
  // as 1+1+1 deepens the expression tree without a recursive call.
  void deepen(Position pos);

private:
  Parser& m_parser;
  int m_levels = 0;
};

inline constexpr int kMaxDepth = 200;

bool is_menu_verb(std::string_view word);
bool is_bare_global(std::string_view word);
void apply_path(Menu& menu, std::string_view word, std::string* verb);

} // namespace vpnaas::routeros::detail
