#include <vpnaas/routeros/schema.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace vpnaas::routeros {
namespace {

bool names_menu_items(const std::string& verb) {
  static constexpr std::array<std::string_view, 10> verbs{
      "add", "set", "find", "get", "remove", "move", "enable", "disable", "unset", "print"};
  return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

class Checker {
public:
  Checker(const Schema& schema, const Version& version) : m_schema(schema), m_version(version) {}

  void walk(const std::vector<Command>& commands) {
    for (const Command& cmd : commands) {
      command(cmd);
      for (const Arg& a : cmd.args) {
        value(a.value);
      }
    }
  }

  std::vector<PropertyProblem> problems;

private:
  void value(const Value& v) {
    if (v.kind == Value::Kind::substitution || v.kind == Value::Kind::block) {
      walk(v.commands);
    } else if (v.kind == Value::Kind::expression && v.expr) {
      expr(*v.expr);
    }
  }
  void expr(const Expr& e) {
    if (e.kind == Expr::Kind::leaf) {
      value(e.leaf);
    }
    if (e.lhs) {
      expr(*e.lhs);
    }
    if (e.rhs) {
      expr(*e.rhs);
    }
  }

  void command(const Command& cmd) {
    if (cmd.menu.empty() || !names_menu_items(cmd.name)) {
      return;
    }
    std::string menu = menu_path(cmd.menu);
    if (!m_schema.has_menu(menu, m_version)) {
      problems.push_back({cmd.pos,
                          menu,
                          {},
                          fmt::format("RouterOS {} has no menu {}", to_string(m_version), menu)});
      return;
    }
    if (cmd.name != "add" && cmd.name != "set") {
      return;
    }
    bool target_seen = cmd.name == "add";
    std::string prefix; // exports write ".mode" after "configuration.country"
    for (const Arg& a : cmd.args) {
      std::string prop;
      if (a.op == Arg::Op::equals || a.op == Arg::Op::unset) {
        prop = a.name;
      } else if (a.op == Arg::Op::positional && !target_seen) {
        target_seen = true; // set's items: [find ...], a number or a name
        continue;
      } else if (a.op == Arg::Op::positional && a.value.kind == Value::Kind::word) {
        prop = a.value.text; // a flag written bare: `passive`
      } else {
        continue;
      }
      if (is_command_argument(prop)) {
        continue;
      }
      if (prop.size() > 1 && prop[0] == '.' && !prefix.empty()) {
        prop = prefix + prop;
      } else if (auto dot = prop.find('.'); dot != std::string::npos && dot > 0) {
        prefix = prop.substr(0, dot);
      }
      auto access = m_schema.property(menu, prop, m_version);
      if (!access) {
        problems.push_back({cmd.pos, menu, prop,
                            fmt::format("{} has no property {} in RouterOS {}", menu, prop,
                                        to_string(m_version))});
      } else if (*access == Access::read_only) {
        problems.push_back({cmd.pos, menu, prop, fmt::format("{} {} is read-only", menu, prop)});
      }
    }
  }

  const Schema& m_schema;
  Version m_version;
};

} // namespace

bool is_command_argument(std::string_view name) {
  static constexpr std::array<std::string_view, 3> args{"place-before", "copy-from", "numbers"};
  return std::find(args.begin(), args.end(), name) != args.end();
}

std::vector<PropertyProblem> check_properties(const std::vector<Command>& commands,
                                              const Schema& schema, const Version& version) {
  Checker checker(schema, version);
  checker.walk(commands);
  return std::move(checker.problems);
}

} // namespace vpnaas::routeros
