#include <fmt/format.h>

#include <array>
#include <utility>

#include "parser.hpp"

namespace vpnaas::routeros::detail {
namespace {

// Binding strength of binary operators; 0 means "not a binary operator".
int precedence(std::string_view op) {
  static constexpr std::array<std::pair<std::string_view, int>, 24> table{{
      {"||", 1}, {"or", 1}, {"&&", 2}, {"and", 2}, {"=", 3}, {"!=", 3}, {"<", 3},  {">", 3},
      {"<=", 3}, {">=", 3}, {"~", 3},  {"in", 3},  {".", 4}, {",", 4},  {"|", 5},  {"^", 5},
      {"&", 5},  {"+", 6},  {"-", 6},  {"*", 7},   {"/", 7}, {"%", 7},  {"<<", 8}, {">>", 8},
  }};
  for (const auto& [name, level] : table) {
    if (name == op) {
      return level;
    }
  }
  return op == "->" ? 9 : 0;
}

std::shared_ptr<const Expr> leaf(Value v) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::leaf;
  e->leaf = std::move(v);
  return e;
}

} // namespace

Value Parser::parse_group(const Menu& menu) {
  Value v;
  v.kind = Value::Kind::expression;
  v.pos = m_cur.position();
  DepthGuard guard(*this, v.pos);
  m_cur.advance(); // '('
  if (!guard.ok()) {
    return v;
  }
  std::vector<Token> saved = std::move(m_lookahead);
  m_lookahead.clear();
  if (peek_token(menu).kind == Token::Kind::close) {
    take_token(menu);
    v.expr = leaf(Value{});
  } else {
    v.expr = parse_expr(menu, 1);
    Token t = take_token(menu);
    if (t.kind != Token::Kind::close && !m_abort) {
      error(t.pos, "expected ')' to close the expression");
      // Skip to the closing parenthesis so the rest of the line still reads.
      while (t.kind != Token::Kind::close && t.kind != Token::Kind::end && !m_abort) {
        t = take_token(menu);
      }
    }
  }
  m_lookahead = std::move(saved);
  return v;
}

std::shared_ptr<const Expr> Parser::parse_expr(const Menu& menu, int min_precedence) {
  DepthGuard guard(*this, m_cur.position());
  if (!guard.ok()) {
    return leaf(Value{});
  }
  auto lhs = parse_unary(menu);
  while (!m_abort) {
    Token& t = peek_token(menu);
    std::string op;
    if (t.kind == Token::Kind::op) {
      op = t.op;
    } else if (t.kind == Token::Kind::value && t.value.kind == Value::Kind::word &&
               (t.value.text == "and" || t.value.text == "or" || t.value.text == "in")) {
      op = t.value.text;
    } else {
      break;
    }
    int level = precedence(op);
    if (level == 0 || level < min_precedence) {
      if (level == 0) {
        error(t.pos, fmt::format("'{}' is not a binary operator", op));
        take_token(menu);
        continue;
      }
      break;
    }
    guard.deepen(t.pos);
    take_token(menu);
    if (!guard.ok()) {
      break;
    }
    auto node = std::make_shared<Expr>();
    node->kind = Expr::Kind::binary;
    node->op = op;
    node->lhs = lhs;
    node->rhs = op == "->" ? parse_unary(menu) : parse_expr(menu, level + 1);
    lhs = node;
  }
  return lhs;
}

std::shared_ptr<const Expr> Parser::parse_unary(const Menu& menu) {
  DepthGuard guard(*this, m_cur.position());
  if (!guard.ok()) {
    return leaf(Value{});
  }
  Token& t = peek_token(menu);
  if (t.kind == Token::Kind::op && (t.op == "!" || t.op == "-")) {
    std::string op = t.op;
    take_token(menu);
    auto node = std::make_shared<Expr>();
    node->kind = Expr::Kind::unary;
    node->op = op;
    node->lhs = parse_unary(menu);
    return node;
  }
  if (t.kind != Token::Kind::value) {
    error(t.pos, "expected a value in the expression");
    if (t.kind == Token::Kind::op) {
      take_token(menu);
    }
    return leaf(Value{});
  }
  return leaf(take_token(menu).value);
}

Parser::Token& Parser::peek_token(const Menu& menu) {
  if (m_lookahead.empty()) {
    Token t = lex_token(menu);
    m_lookahead.push_back(std::move(t));
  }
  return m_lookahead.front();
}

Parser::Token Parser::take_token(const Menu& menu) {
  peek_token(menu);
  Token t = std::move(m_lookahead.front());
  m_lookahead.erase(m_lookahead.begin());
  return t;
}

std::string Parser::read_expr_word() {
  std::string word;
  while (true) {
    char c = m_cur.peek();
    char next = m_cur.peek_at(1);
    bool starts_digit = !word.empty() && word[0] >= '0' && word[0] <= '9';
    bool letter_before = !word.empty() && !(word.back() >= '0' && word.back() <= '9');
    if (is_alnum(c) || c == '_' ||
        ((c == '.' || c == ':' || c == '/') && starts_digit && is_alnum(next)) ||
        (c == '-' && letter_before && is_alnum(next))) {
      word.push_back(m_cur.advance());
      continue;
    }
    return word;
  }
}

Parser::Token Parser::lex_token(const Menu& menu) {
  while (!m_abort) {
    Token t;
    char c = m_cur.peek();
    t.pos = m_cur.position();
    if (is_space(c) || c == '\n') {
      m_cur.advance();
      continue;
    }
    if (c == '\0') {
      t.kind = Token::Kind::end;
      return t;
    }
    if (c == ')') {
      m_cur.advance();
      t.kind = Token::Kind::close;
      return t;
    }
    t.kind = Token::Kind::value;
    switch (c) {
    case '"':
      t.value = parse_string();
      return t;
    case '[':
      t.value = parse_substitution(menu);
      return t;
    case '(':
      t.value = parse_group(menu);
      return t;
    case '{':
      t.value = parse_block(menu);
      return t;
    case '$':
      t.value = parse_variable(menu);
      return t;
    default:
      break;
    }
    if (is_alnum(c) || c == '_') {
      t.value.text = read_expr_word();
      t.value.pos = t.pos;
      return t;
    }
    static constexpr std::array<std::string_view, 8> pairs{
        "->", "!=", "<=", ">=", "&&", "||", "<<", ">>"};
    t.kind = Token::Kind::op;
    char next = m_cur.peek_at(1);
    for (std::string_view p : pairs) {
      if (p[0] == c && p[1] == next) {
        m_cur.advance();
        m_cur.advance();
        t.op = std::string(p);
        return t;
      }
    }
    if (std::string_view("=<>!.,+-*/%~&|^").find(c) != std::string_view::npos) {
      m_cur.advance();
      t.op = std::string(1, c);
      return t;
    }
    error(t.pos, fmt::format("unexpected '{}' in an expression", c));
    if (c == ']' || c == '}' || c == ';') {
      // Belongs to an enclosing construct: stop the expression, keep the character.
      t.kind = Token::Kind::end;
      return t;
    }
    m_cur.advance();
  }
  Token end;
  end.kind = Token::Kind::end;
  return end;
}

} // namespace vpnaas::routeros::detail
