#include <fmt/format.h>

#include <algorithm>

#include "sim_engine.hpp"

namespace vpnaas::routeros::detail {
namespace {

bool all_digits(const std::string& s) {
  std::size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
  return s.size() > start && s.size() < 19 &&
         std::all_of(s.begin() + static_cast<std::ptrdiff_t>(start), s.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// RouterOS numbers are signed 64-bit; the simulator refuses what would
// overflow rather than guess how the router wraps.
std::int64_t plus(std::int64_t x, std::int64_t y, Position pos) {
  std::int64_t result = 0;
  if (__builtin_add_overflow(x, y, &result)) {
    throw SimError(pos, "integer overflow");
  }
  return result;
}

std::int64_t minus(std::int64_t x, std::int64_t y, Position pos) {
  std::int64_t result = 0;
  if (__builtin_sub_overflow(x, y, &result)) {
    throw SimError(pos, "integer overflow");
  }
  return result;
}

std::int64_t number(const SimValue& v, Position pos) {
  if (v.kind != SimValue::Kind::num) {
    throw SimError(pos,
                   fmt::format("expected a number, got {} \"{}\"", v.type_name(), v.to_string()));
  }
  return v.number;
}

} // namespace

bool truth(const SimValue& v, Position pos) {
  if (v.kind != SimValue::Kind::boolean) {
    throw SimError(pos,
                   fmt::format("expected a boolean, got {} \"{}\"", v.type_name(), v.to_string()));
  }
  return v.flag;
}

// Copies are what can make a script's memory grow, so each is charged by its
// weight; operators then work on fresh values and cost no more than those did.
SimValue Engine::eval(const Value& v, const Command& ctx) {
  switch (v.kind) {
  case Value::Kind::word:
    charge(1 + v.text.size(), v.pos);
    if (all_digits(v.text)) {
      return SimValue::num(std::stoll(v.text));
    }
    if (v.text == "true" || v.text == "false") {
      return SimValue::boolean(v.text == "true");
    }
    return SimValue::str(v.text);
  case Value::Kind::string:
    if (v.interpolates) {
      throw SimError(v.pos, "a string with an unescaped $ or ? is outside the supported subset");
    }
    charge(1 + v.text.size(), v.pos);
    return SimValue::str(v.text);
  case Value::Kind::variable: {
    const SimValue& value = variable(v.text, v.pos);
    charge(weight(value), v.pos);
    return value;
  }
  case Value::Kind::substitution:
    return eval_substitution(v.commands);
  case Value::Kind::expression:
    if (!v.expr) {
      return {};
    }
    return eval_expr(*v.expr, ctx);
  case Value::Kind::block:
    return {};
  }
  return {};
}

SimValue Engine::eval_substitution(const std::vector<Command>& commands) {
  SimValue result;
  for (const auto& cmd : commands) {
    result = exec(cmd);
  }
  return result;
}

SimValue Engine::eval_expr(const Expr& e, const Command& ctx) {
  charge(1, ctx.pos);
  if (e.kind == Expr::Kind::leaf) {
    return eval(e.leaf, ctx);
  }
  if (e.kind == Expr::Kind::unary) {
    SimValue v = eval_expr(*e.lhs, ctx);
    if (e.op == "!") {
      return SimValue::boolean(!truth(v, ctx.pos));
    }
    return SimValue::num(minus(0, number(v, ctx.pos), ctx.pos));
  }
  if (e.op == "->") {
    SimValue* element = element_ref(e, ctx, false);
    if (element == nullptr) {
      return {};
    }
    charge(weight(*element), ctx.pos);
    return *element;
  }
  if (e.op == "and" || e.op == "&&") {
    return SimValue::boolean(truth(eval_expr(*e.lhs, ctx), ctx.pos) &&
                             truth(eval_expr(*e.rhs, ctx), ctx.pos));
  }
  if (e.op == "or" || e.op == "||") {
    return SimValue::boolean(truth(eval_expr(*e.lhs, ctx), ctx.pos) ||
                             truth(eval_expr(*e.rhs, ctx), ctx.pos));
  }
  SimValue a = eval_expr(*e.lhs, ctx);
  SimValue b = eval_expr(*e.rhs, ctx);
  if (e.op == "=") {
    return SimValue::boolean(equal(a, b));
  }
  if (e.op == "!=") {
    return SimValue::boolean(!equal(a, b));
  }
  if (e.op == ".") {
    return SimValue::str(a.to_string() + b.to_string());
  }
  if (e.op == ",") {
    SimValue out = SimValue::array();
    out.list = a.elements();
    for (auto& x : b.elements()) {
      out.list.push_back(std::move(x));
    }
    return out;
  }
  std::int64_t x = number(a, ctx.pos);
  std::int64_t y = number(b, ctx.pos);
  if (e.op == "<") {
    return SimValue::boolean(x < y);
  }
  if (e.op == ">") {
    return SimValue::boolean(x > y);
  }
  if (e.op == "<=") {
    return SimValue::boolean(x <= y);
  }
  if (e.op == ">=") {
    return SimValue::boolean(x >= y);
  }
  if (e.op == "+") {
    return SimValue::num(plus(x, y, ctx.pos));
  }
  if (e.op == "-") {
    return SimValue::num(minus(x, y, ctx.pos));
  }
  throw SimError(ctx.pos, fmt::format("operator {} is outside the supported subset", e.op));
}

} // namespace vpnaas::routeros::detail
