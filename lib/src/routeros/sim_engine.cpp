#include "sim_engine.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace vpnaas::routeros::detail {
namespace {

const Arg* named(const Command& cmd, std::string_view name) {
  for (const auto& a : cmd.args) {
    if (a.op == Arg::Op::equals && a.name == name) {
      return &a;
    }
  }
  return nullptr;
}

std::vector<const Arg*> positionals(const Command& cmd) {
  std::vector<const Arg*> out;
  for (const auto& a : cmd.args) {
    if (a.op == Arg::Op::positional) {
      out.push_back(&a);
    }
  }
  return out;
}

} // namespace

void Engine::run_top(const std::vector<Command>& commands) {
  for (const auto& cmd : commands) {
    // Each top-level line is its own scope, as in a RouterOS import.
    m_scopes.assign(1, Scope{});
    exec(cmd);
  }
  m_scopes.clear();
}

void Engine::run_block(const std::vector<Command>& commands) {
  m_scopes.emplace_back();
  for (const auto& cmd : commands) {
    exec(cmd);
  }
  m_scopes.pop_back();
}

void Engine::charge(std::size_t units, Position pos) {
  m_work += units;
  if (m_work > m_limits.max_work) {
    throw SimError(pos, fmt::format("the script needs more than {} units of work, the "
                                    "simulator's limit: it loops or grows values without bound",
                                    m_limits.max_work));
  }
}

SimValue Engine::exec(const Command& cmd) {
  charge(1, cmd.pos);
  if (cmd.name.empty()) {
    return {};
  }
  if (cmd.name == "{}") {
    for (const auto& a : cmd.args) {
      if (a.value.kind == Value::Kind::block) {
        run_block(a.value.commands);
      }
    }
    return {};
  }
  if (cmd.name[0] == ':') {
    return exec_global(cmd);
  }
  if (cmd.name == "$call") {
    throw SimError(cmd.pos, "calling a variable as a function is outside the supported subset");
  }
  return exec_menu(cmd);
}

SimValue Engine::exec_global(const Command& cmd) {
  auto pos = positionals(cmd);
  auto need = [&](std::size_t n) {
    if (pos.size() < n) {
      throw SimError(cmd.pos, fmt::format("{} needs {} argument(s)", cmd.name, n));
    }
  };
  if (cmd.name == ":local" || cmd.name == ":global") {
    need(1);
    SimValue v;
    v.kind = SimValue::Kind::nil;
    if (pos.size() > 1) {
      v = eval(pos[1]->value, cmd);
    }
    m_scopes.back()[pos[0]->value.text] = std::move(v);
    return {};
  }
  if (cmd.name == ":set") {
    need(1);
    SimValue v = pos.size() > 1 ? eval(pos[1]->value, cmd) : SimValue{};
    const Value& target = pos[0]->value;
    if (target.kind == Value::Kind::expression && target.expr &&
        target.expr->kind == Expr::Kind::binary && target.expr->op == "->") {
      // Only this assignment deepens a value; every other one copies a value
      // that is within the limit already.
      std::size_t levels = 0;
      for (const Expr* e = target.expr.get(); e->kind == Expr::Kind::binary; e = e->lhs.get()) {
        ++levels;
      }
      if (levels + nesting(v) > kMaxNesting) {
        throw SimError(cmd.pos, fmt::format("arrays nested more than {} deep are outside the "
                                            "supported subset",
                                            kMaxNesting));
      }
      SimValue* element = element_ref(*target.expr, cmd, true);
      if (element == nullptr) {
        throw SimError(cmd.pos, "the index is past the end of the array");
      }
      *element = std::move(v);
    } else {
      variable(target.text, cmd.pos) = std::move(v);
    }
    return {};
  }
  if (cmd.name == ":if") {
    need(1);
    bool cond = truth(eval(pos[0]->value, cmd), cmd.pos);
    if (const Arg* branch = named(cmd, cond ? "do" : "else")) {
      run_block(branch->value.commands);
    }
    return {};
  }
  if (cmd.name == ":foreach") {
    need(1);
    const Arg* in = named(cmd, "in");
    const Arg* body = named(cmd, "do");
    if (in == nullptr || body == nullptr) {
      throw SimError(cmd.pos, ":foreach needs in= and do=");
    }
    for (const SimValue& element : eval(in->value, cmd).elements()) {
      charge(1, cmd.pos);
      m_scopes.emplace_back();
      m_scopes.back()[pos[0]->value.text] = element;
      run_block(body->value.commands);
      m_scopes.pop_back();
    }
    return {};
  }
  if (cmd.name == ":len") {
    need(1);
    return SimValue::num(static_cast<std::int64_t>(eval(pos[0]->value, cmd).length()));
  }
  if (cmd.name == ":typeof") {
    need(1);
    return SimValue::str(eval(pos[0]->value, cmd).type_name());
  }
  if (cmd.name == ":toarray") {
    need(1);
    SimValue v = eval(pos[0]->value, cmd);
    if (v.kind == SimValue::Kind::array) {
      return v;
    }
    SimValue out = SimValue::array();
    std::string text = v.to_string();
    std::size_t start = 0;
    while (!text.empty() && start <= text.size()) {
      std::size_t comma = text.find(',', start);
      out.list.push_back(SimValue::str(text.substr(start, comma - start)));
      if (comma == std::string::npos) {
        break;
      }
      start = comma + 1;
    }
    return out;
  }
  if (cmd.name == ":put" || cmd.name == ":log") {
    std::string text;
    for (const auto* a : pos) {
      text += eval(a->value, cmd).to_string();
    }
    if (cmd.name == ":put") {
      m_stats.printed.push_back(std::move(text));
    }
    return {};
  }
  if (cmd.name == ":error") {
    throw SimError(cmd.pos, pos.empty() ? "script error" : eval(pos[0]->value, cmd).to_string());
  }
  throw SimError(cmd.pos, fmt::format("{} is outside the supported subset", cmd.name));
}

SimValue* Engine::lookup(const std::string& name) {
  for (auto it = m_scopes.rbegin(); it != m_scopes.rend(); ++it) {
    if (auto found = it->find(name); found != it->end()) {
      return &found->second;
    }
  }
  return nullptr;
}

SimValue& Engine::variable(const std::string& name, Position pos) {
  SimValue* v = lookup(name);
  if (v == nullptr) {
    throw SimError(pos, fmt::format("variable {} is not declared in this scope", name));
  }
  return *v;
}

SimValue* Engine::element_ref(const Expr& e, const Command& ctx, bool create) {
  // ($v->k1->k2) parses as ((v->k1)->k2): collect the keys outermost last.
  std::vector<const Expr*> keys;
  const Expr* root = &e;
  while (root->kind == Expr::Kind::binary && root->op == "->") {
    keys.push_back(root->rhs.get());
    root = root->lhs.get();
  }
  if (root->kind != Expr::Kind::leaf || root->leaf.kind != Value::Kind::variable) {
    throw SimError(ctx.pos, "only variables can be indexed with ->");
  }
  // Keys are evaluated before the walk: a key may run a command substitution
  // that changes the variable, which would leave a pointer into it dangling.
  std::vector<SimValue> values;
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
    values.push_back(eval_expr(**it, ctx));
  }
  SimValue* at = &variable(root->leaf.text, root->leaf.pos);
  for (const SimValue& key : values) {
    if (at->kind != SimValue::Kind::array) {
      if (!create) {
        return nullptr;
      }
      *at = SimValue::array();
    }
    if (key.kind == SimValue::Kind::num) {
      if (key.number < 0 || static_cast<std::size_t>(key.number) >= at->list.size()) {
        return nullptr;
      }
      at = &at->list[static_cast<std::size_t>(key.number)];
      continue;
    }
    std::string k = key.to_string();
    auto it = at->keyed.find(k);
    if (it == at->keyed.end()) {
      if (!create) {
        return nullptr;
      }
      it = at->keyed.emplace(std::move(k), SimValue{}).first;
    }
    at = &it->second;
  }
  return at;
}

} // namespace vpnaas::routeros::detail

namespace vpnaas::routeros {

Result<RunStats> run_script(const std::vector<Command>& commands, Router& router,
                            const RunLimits& limits) {
  detail::Engine engine(router, limits);
  try {
    engine.run_top(commands);
  } catch (const detail::SimError& e) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("line {}: {}", to_string(e.pos), e.what()));
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal, e.what());
  }
  return std::move(engine.stats());
}

} // namespace vpnaas::routeros
