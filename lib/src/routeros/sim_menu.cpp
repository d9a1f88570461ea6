#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include "sim_engine.hpp"

namespace vpnaas::routeros::detail {
namespace {

constexpr std::size_t kMaxPatternLength = 256;

// What copying an item costs, in the units of RunLimits.
std::size_t item_weight(const Item& item) {
  std::size_t total = 1;
  for (const auto& [key, value] : item.props) {
    total += key.size() + value.size();
  }
  return total;
}

// Interval expressions are expanded into copies of the automaton: a pattern
// as short as ((a{999}){999}){999} fills it with 100,000 states, which every
// character matched then walks. No generated script uses them. A '{' inside
// brackets is refused too: a literal brace is written \{.
bool has_interval(const std::string& pattern) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
    } else if (pattern[i] == '{') {
      return true;
    }
  }
  return false;
}

} // namespace

std::string describe_item(const std::string& menu, const Item& item) {
  auto it = item.props.find("comment");
  if (it != item.props.end()) {
    return fmt::format("{} [{}]", menu, it->second);
  }
  it = item.props.find("name");
  return it != item.props.end() ? fmt::format("{} {}", menu, it->second)
                                : fmt::format("{} *{:X}", menu, item.id);
}

std::string prop_or_default(const Item& item, const std::string& prop) {
  if (prop == "dynamic") {
    return item.dynamic ? "yes" : "no";
  }
  auto it = item.props.find(prop);
  if (it != item.props.end()) {
    return it->second;
  }
  return prop == "disabled" ? "no" : "";
}

SimValue Engine::exec_menu(const Command& cmd) {
  if (cmd.name != "print") {
    check_menu(cmd);
  }
  if (cmd.name == "move") {
    move(cmd);
    return {};
  }
  if (cmd.name == "find") {
    return find(cmd, 0);
  }
  if (cmd.name == "add") {
    return add(cmd);
  }
  if (cmd.name == "set") {
    set(cmd);
    return {};
  }
  if (cmd.name == "remove") {
    remove(cmd);
    return {};
  }
  if (cmd.name == "get") {
    return get(cmd);
  }
  if (cmd.name == "print") {
    return {};
  }
  throw SimError(
      cmd.pos, fmt::format("{} {} is outside the supported subset", menu_path(cmd.menu), cmd.name));
}

const std::regex& Engine::regex_for(const std::string& pattern, const Command& cmd) {
  auto it = m_regex_cache.find(pattern);
  if (it == m_regex_cache.end()) {
    if (pattern.size() > kMaxPatternLength || has_interval(pattern)) {
      throw SimError(cmd.pos, fmt::format("regular expressions longer than {} characters or with "
                                          "{{n,m}} intervals are outside the supported subset",
                                          kMaxPatternLength));
    }
    charge(pattern.size(), cmd.pos);
    // libstdc++'s default matcher backtracks: exponential time on patterns
    // like (a*)*b and one stack frame per character of the subject. Its
    // polynomial one walks the subject with a set of states instead.
    auto flags = std::regex::extended;
#ifdef __GLIBCXX__
    flags |= std::regex_constants::__polynomial;
#endif
    try {
      it = m_regex_cache.emplace(pattern, std::regex(pattern, flags)).first;
    } catch (const std::regex_error&) {
      throw SimError(cmd.pos, fmt::format("invalid regular expression \"{}\"", pattern));
    }
  }
  return it->second;
}

bool Engine::matches(const Item& item, const std::string& prop, Arg::Op op,
                     const std::string& value, Position pos) {
  std::string have = prop_or_default(item, prop);
  if (op != Arg::Op::matches) {
    return have == value;
  }
  // A search tries every start position, each up to the end of the subject.
  std::size_t n = have.size() + 1;
  charge(n * n, pos);
  return std::regex_search(have, m_regex_cache.at(value));
}

SimValue Engine::find(const Command& cmd, std::size_t first_arg) {
  struct Condition {
    std::string prop;
    Arg::Op op;
    std::string value;
  };
  std::vector<Condition> conditions;
  for (std::size_t i = first_arg; i < cmd.args.size(); ++i) {
    const Arg& a = cmd.args[i];
    if (a.op == Arg::Op::positional && a.value.kind == Value::Kind::word &&
        (a.value.text == "where" || a.value.text == "and")) {
      continue;
    }
    if (a.op != Arg::Op::equals && a.op != Arg::Op::matches) {
      throw SimError(cmd.pos, "find supports only prop=value and prop~regex joined by and");
    }
    check_readable(menu_path(cmd.menu), a.name, cmd);
    Condition c{a.name, a.op, prop_value(a, cmd)};
    if (c.op == Arg::Op::matches) {
      regex_for(c.value, cmd);
    }
    conditions.push_back(std::move(c));
  }
  SimValue out = SimValue::array();
  for (const Item& item : m_router.items(menu_path(cmd.menu))) {
    charge(1, cmd.pos);
    bool all = std::all_of(conditions.begin(), conditions.end(), [&](const Condition& c) {
      return matches(item, c.prop, c.op, c.value, cmd.pos);
    });
    if (all) {
      out.list.push_back(SimValue::id(item.id));
    }
  }
  return out;
}

std::string Engine::prop_value(const Arg& arg, const Command& cmd) {
  return eval(arg.value, cmd).to_string();
}

std::vector<std::uint64_t> Engine::targets(const Command& cmd, const Arg& arg) {
  std::vector<std::uint64_t> ids;
  for (const SimValue& v : eval(arg.value, cmd).elements()) {
    if (v.kind != SimValue::Kind::id) {
      throw SimError(cmd.pos, fmt::format("{} needs item ids, got {} \"{}\"", cmd.name,
                                          v.type_name(), v.to_string()));
    }
    ids.push_back(id_number(v));
  }
  return ids;
}

SimValue Engine::add(const Command& cmd) {
  std::string menu = menu_path(cmd.menu);
  Item item;
  item.id = m_router.next_id();
  std::optional<std::uint64_t> before;
  for (const Arg& a : cmd.args) {
    if (a.op == Arg::Op::equals && a.name == "place-before") {
      auto ids = targets(cmd, a);
      if (ids.size() != 1) {
        throw SimError(cmd.pos, "place-before needs exactly one item");
      }
      before = ids[0];
    } else if (a.op == Arg::Op::equals) {
      std::string value = prop_value(a, cmd);
      check_writable(menu, a.name, value, cmd);
      item.props[a.name] = std::move(value);
    } else if (a.op == Arg::Op::positional && a.value.kind == Value::Kind::word) {
      check_writable(menu, a.value.text, "yes", cmd);
      item.props[a.value.text] = "yes";
    } else {
      throw SimError(cmd.pos, "add takes only prop=value and flags");
    }
  }
  check_unique(menu, item, cmd);
  check_references(menu, item, cmd);
  check_gateway_table(menu, item, cmd);
  auto& items = m_router.items(menu);
  auto pos = items.end();
  if (before) {
    charge_lookup(items.size(), cmd.pos);
    pos = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == *before; });
    if (pos == items.end()) {
      throw SimError(cmd.pos, "place-before names no item of this menu");
    }
  }
  m_stats.log.push_back(fmt::format("added {}", describe_item(menu, item)));
  ++m_stats.added;
  std::uint64_t id = item.id;
  items.insert(pos, std::move(item));
  return SimValue::id(id);
}

void Engine::set(const Command& cmd) {
  std::string menu = menu_path(cmd.menu);
  if (cmd.args.empty() || cmd.args[0].op != Arg::Op::positional) {
    throw SimError(cmd.pos, "set needs the items to change first");
  }
  auto ids = targets(cmd, cmd.args[0]);
  // Every value is evaluated once, before any item is looked up: a command
  // substitution among them may add or remove items of this very menu.
  std::vector<std::pair<const Arg*, std::string>> changes;
  for (std::size_t i = 1; i < cmd.args.size(); ++i) {
    const Arg& a = cmd.args[i];
    if (a.op == Arg::Op::equals) {
      std::string value = prop_value(a, cmd);
      check_writable(menu, a.name, value, cmd);
      changes.emplace_back(&a, std::move(value));
    } else if (a.op == Arg::Op::unset) {
      check_writable(menu, a.name, {}, cmd);
      changes.emplace_back(&a, std::string());
    } else if (a.op == Arg::Op::positional && a.value.kind == Value::Kind::word) {
      check_writable(menu, a.value.text, "yes", cmd);
      changes.emplace_back(&a, std::string());
    } else {
      throw SimError(cmd.pos, "set takes only prop=value, !prop and flags");
    }
  }
  for (std::uint64_t id : ids) {
    auto& items = m_router.items(menu);
    charge_lookup(items.size(), cmd.pos);
    auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == id; });
    if (it == items.end()) {
      throw SimError(cmd.pos, "no such item");
    }
    charge(item_weight(*it), cmd.pos);
    Item updated = *it;
    for (const auto& [a, value] : changes) {
      if (a->op == Arg::Op::equals) {
        updated.props[a->name] = value;
      } else if (a->op == Arg::Op::unset) {
        updated.props.erase(a->name);
      } else {
        updated.props[a->value.text] = "yes";
      }
    }
    if (updated.props == it->props) {
      continue;
    }
    check_unique(menu, updated, cmd);
    check_references(menu, updated, cmd);
    check_gateway_table(menu, updated, cmd);
    std::string old_name = prop_or_default(*it, "name");
    if (!old_name.empty() && old_name != prop_or_default(updated, "name")) {
      check_not_referenced(menu, *it, cmd);
    }
    m_stats.log.push_back(fmt::format("changed {}", describe_item(menu, updated)));
    ++m_stats.changed;
    *it = std::move(updated);
  }
}

void Engine::remove(const Command& cmd) {
  std::string menu = menu_path(cmd.menu);
  if (cmd.args.empty()) {
    throw SimError(cmd.pos, "remove needs the items to remove");
  }
  for (std::uint64_t id : targets(cmd, cmd.args[0])) {
    auto& items = m_router.items(menu);
    charge_lookup(items.size(), cmd.pos);
    auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == id; });
    if (it == items.end()) {
      throw SimError(cmd.pos, "no such item");
    }
    check_not_referenced(menu, *it, cmd);
    m_stats.log.push_back(fmt::format("removed {}", describe_item(menu, *it)));
    ++m_stats.removed;
    items.erase(it);
  }
}

SimValue Engine::get(const Command& cmd) {
  std::string menu = menu_path(cmd.menu);
  if (cmd.args.size() != 2 || cmd.args[1].op != Arg::Op::positional) {
    throw SimError(cmd.pos, "get supports only: get <id> <property>");
  }
  auto ids = targets(cmd, cmd.args[0]);
  if (ids.size() != 1) {
    throw SimError(cmd.pos, "get needs exactly one item");
  }
  check_readable(menu, cmd.args[1].value.text, cmd);
  for (const Item& item : m_router.items(menu)) {
    charge_lookup(1, cmd.pos);
    if (item.id == ids[0]) {
      auto it = item.props.find(cmd.args[1].value.text);
      return it == item.props.end() ? SimValue{} : SimValue::str(it->second);
    }
  }
  throw SimError(cmd.pos, "no such item");
}

// `move <items> [<destination>]`, also as numbers= and destination=: the
// items, in their current order, go before the destination item, or to the
// end of the menu without one (MikroTik scripting manual, "Common commands").
void Engine::move(const Command& cmd) {
  std::string menu = menu_path(cmd.menu);
  const Arg* what = nullptr;
  const Arg* dest = nullptr;
  for (const Arg& a : cmd.args) {
    if ((a.op == Arg::Op::equals && a.name == "numbers") ||
        (a.op == Arg::Op::positional && what == nullptr)) {
      what = &a;
    } else if ((a.op == Arg::Op::equals && a.name == "destination") ||
               (a.op == Arg::Op::positional && dest == nullptr)) {
      dest = &a;
    } else {
      throw SimError(cmd.pos, "move takes the items to move and one destination");
    }
  }
  if (what == nullptr) {
    throw SimError(cmd.pos, "move needs the items to move");
  }
  auto ids = targets(cmd, *what);
  std::optional<std::uint64_t> before;
  if (dest != nullptr) {
    auto d = targets(cmd, *dest);
    if (d.size() != 1) {
      throw SimError(cmd.pos, "move needs exactly one destination item");
    }
    before = d[0];
  }
  auto& items = m_router.items(menu);
  charge_lookup(items.size() * (ids.size() + 1), cmd.pos);
  std::vector<Item> moved;
  for (std::uint64_t id : ids) {
    auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == id; });
    if (it == items.end()) {
      throw SimError(cmd.pos, "no such item");
    }
    if (before && *before == id) {
      throw SimError(cmd.pos, "cannot move an item before itself");
    }
  }
  if (before &&
      std::none_of(items.begin(), items.end(), [&](const Item& i) { return i.id == *before; })) {
    throw SimError(cmd.pos, "no such item");
  }
  std::vector<std::uint64_t> old_order;
  for (const Item& i : items) {
    old_order.push_back(i.id);
  }
  std::vector<Item> kept;
  for (Item& item : items) {
    (std::find(ids.begin(), ids.end(), item.id) != ids.end() ? moved : kept)
        .push_back(std::move(item));
  }
  auto pos = before ? std::find_if(kept.begin(), kept.end(),
                                   [&](const Item& i) { return i.id == *before; })
                    : kept.end();
  kept.insert(pos, std::make_move_iterator(moved.begin()), std::make_move_iterator(moved.end()));
  items = std::move(kept);
  bool changed = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    changed = changed || items[i].id != old_order[i];
  }
  if (changed) {
    m_stats.log.push_back(fmt::format("moved {} item(s) of {}", ids.size(), menu));
    ++m_stats.changed;
  }
}

} // namespace vpnaas::routeros::detail
