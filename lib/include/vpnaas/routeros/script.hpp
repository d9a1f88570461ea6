#pragma once

#include <memory>
#include <string>
#include <vector>

namespace vpnaas::routeros {

// 1-based physical line and column of the first character of a construct.
struct Position {
  int line = 1;
  int column = 1;
};

struct Expr;
struct Command;

// One value as written in a script: a bare word, a quoted string (already
// decoded), a variable reference, a command substitution `[...]`, a
// parenthesised expression `(...)` or a code block `{...}`.
struct Value {
  enum class Kind { word, string, variable, substitution, expression, block };
  Kind kind = Kind::word;
  std::string text; // word text, decoded string, or variable name
  // A string with an unescaped `$` (variable or `$[...]` substitution) or an
  // unescaped `?`: RouterOS would not take it literally.
  bool interpolates = false;
  std::vector<Command> commands;    // substitution or block body
  std::shared_ptr<const Expr> expr; // expression
  Position pos;
};

// An expression tree from inside `(...)`: a leaf value, a unary operator
// (`!`, `-`) or a binary one (`=`, `!=`, `and`, `->`, `.`, ...).
struct Expr {
  enum class Kind { leaf, unary, binary };
  Kind kind = Kind::leaf;
  std::string op;
  Value leaf;
  std::shared_ptr<const Expr> lhs; // the operand of a unary operator
  std::shared_ptr<const Expr> rhs;
};

// One argument of a command: `name=value`, `name~value` (regex match in find
// expressions), `!name` (unset), or an unnamed value (`[find ...]`, `where`,
// `and`, an item number).
struct Arg {
  enum class Op { positional, equals, matches, unset };
  Op op = Op::positional;
  std::string name;
  Value value;
};

// One command line. `menu` is the absolute menu the command runs in, resolved
// from explicit paths (`/ip address add`), relative paths and the menu the
// script changed to earlier (`/ip address` on a line of its own), so a
// consumer never tracks the console's current menu itself.
// `name` is the menu verb ("add", "set", "find"...), a global command with its
// colon (":if", ":local"), "$call" for a variable call, "{}" for a block, or
// empty for a line that only changes the current menu.
struct Command {
  std::vector<std::string> menu;
  std::string name;
  std::vector<Arg> args;
  Position pos;
};

std::string menu_path(const std::vector<std::string>& menu); // "/ip address", "/" for root

} // namespace vpnaas::routeros
