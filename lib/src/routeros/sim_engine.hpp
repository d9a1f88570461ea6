#pragma once

#include <vpnaas/routeros/reader.hpp>
#include <vpnaas/routeros/simulator.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace vpnaas::routeros::detail {

// A RouterOS script value. Arrays keep unkeyed elements in order and keyed
// ones sorted by key, as RouterOS does.
struct SimValue {
  enum class Kind { nothing, nil, str, num, boolean, id, array };
  Kind kind = Kind::nothing;
  std::string text; // str, or the id as "*1A"
  std::int64_t number = 0;
  bool flag = false;
  std::vector<SimValue> list;
  std::map<std::string, SimValue> keyed;

  static SimValue str(std::string s);
  static SimValue num(std::int64_t n);
  static SimValue boolean(bool b);
  static SimValue id(std::uint64_t n);
  static SimValue array();

  std::string to_string() const; // how :put would print it
  const char* type_name() const; // what :typeof answers
  std::size_t length() const;    // what :len answers
  std::vector<SimValue> elements() const;
};

// What copying a value costs: one per value and element plus its bytes.
std::size_t weight(const SimValue& v);
// Arrays within arrays: 0 for a scalar, 1 for an array of scalars.
std::size_t nesting(const SimValue& v);
// Deeper arrays are refused, so that the recursive copy, compare and destroy
// of a value cannot exhaust the stack.
inline constexpr std::size_t kMaxNesting = 32;

bool equal(const SimValue& a, const SimValue& b);
std::uint64_t id_number(const SimValue& v); // 0 when not an id

// Thrown inside the engine only, caught by run_script and turned into an Error.
struct SimError : std::runtime_error {
  SimError(Position p, const std::string& what) : std::runtime_error(what), pos(p) {}
  Position pos;
};

// Throws SimError unless `v` is a boolean.
bool truth(const SimValue& v, Position pos);
// A property as `find` sees it: `dynamic` from the flag, `disabled` "no" when
// unset, other missing properties "".
std::string prop_or_default(const Item& item, const std::string& prop);
// "menu [comment]" or "menu name" for messages.
std::string describe_item(const std::string& menu, const Item& item);

class Engine {
public:
  Engine(Router& router, const RunLimits& limits) : m_router(router), m_limits(limits) {}

  void run_top(const std::vector<Command>& commands);
  RunStats& stats() {
    m_stats.work = m_work - m_lookup;
    return m_stats;
  }

private:
  using Scope = std::map<std::string, SimValue>;

  void run_block(const std::vector<Command>& commands);
  SimValue exec(const Command& cmd);
  SimValue exec_global(const Command& cmd);
  SimValue exec_menu(const Command& cmd); // sim_menu.cpp

  SimValue eval(const Value& v, const Command& ctx);
  SimValue eval_expr(const Expr& e, const Command& ctx);
  SimValue eval_substitution(const std::vector<Command>& commands);
  SimValue* lookup(const std::string& name);
  SimValue& variable(const std::string& name, Position pos);
  SimValue* element_ref(const Expr& e, const Command& ctx, bool create);
  // Counts `units` of work against the limit; throws SimError past it.
  void charge(std::size_t units, Position pos);
  // The same for the simulator's own scans where a router finds an item by
  // its internal id or checks a unique name through an index: they count
  // against the limit, which bounds the simulator's time, but not in
  // RunStats::work, which models the router's.
  void charge_lookup(std::size_t units, Position pos) {
    m_lookup += units;
    charge(units, pos);
  }

  // Menu helpers (sim_menu.cpp).
  SimValue find(const Command& cmd, std::size_t first_arg);
  SimValue add(const Command& cmd);
  void set(const Command& cmd);
  void remove(const Command& cmd);
  SimValue get(const Command& cmd);
  void move(const Command& cmd);
  // Schema checks (sim_schema.cpp): throw SimError like a router refusing
  // the command.
  void check_menu(const Command& cmd);
  void check_writable(const std::string& menu, const std::string& prop, const std::string& value,
                      const Command& cmd);
  void check_readable(const std::string& menu, const std::string& prop, const Command& cmd);
  std::vector<std::uint64_t> targets(const Command& cmd, const Arg& arg);
  std::string prop_value(const Arg& arg, const Command& cmd);
  void check_unique(const std::string& menu, const Item& item, const Command& cmd);
  void check_references(const std::string& menu, const Item& item, const Command& cmd);
  void check_gateway_table(const std::string& menu, const Item& item, const Command& cmd);
  void check_not_referenced(const std::string& menu, const Item& item, const Command& cmd);
  bool matches(const Item& item, const std::string& prop, Arg::Op op, const std::string& value,
               Position pos);
  const std::regex& regex_for(const std::string& pattern, const Command& cmd);

  Router& m_router;
  RunLimits m_limits;
  std::uint64_t m_work = 0;
  std::uint64_t m_lookup = 0;
  RunStats m_stats;
  std::vector<Scope> m_scopes;
  std::map<std::string, std::regex> m_regex_cache;
  std::map<std::string, bool> m_known_menus; // menu -> the router's release has it
};

} // namespace vpnaas::routeros::detail
