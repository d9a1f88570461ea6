#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/routeros/script.hpp>
#include <vpnaas/routeros/version.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::routeros {

// What RouterOS lets a script do with a property.
enum class Access { read_write, read_only, write_only };

// A rule on the values of one property, where the value matters to vpnaas.
struct ValueRule {
  enum class Type { enumeration, list, boolean, duration };
  Type type = Type::enumeration;
  std::vector<std::string> values; // enumeration and list
};

// Which menus and properties a RouterOS release has, from third-party facts
// only (lib/data/routeros/SOURCES.md): a property without evidence is absent.
class Schema {
public:
  // The schema built into libvpnaas from lib/data/routeros/*.tsv.
  static const Schema& builtin();

  // Builds a schema from the tables' text (formats in SOURCES.md). Fails
  // with invalid_input naming the table and line of a malformed row.
  // `docs_v7`: rows of docs-v7.tsv, properties MikroTik's CLI reference
  // documents that properties-v7.tsv lacks (menu, property, since, kind,
  // source); they hold from `since` on.
  static Result<Schema> parse(std::string_view properties_v7, std::string_view properties_v6,
                              std::string_view values, std::string_view evidence_v7,
                              std::string_view docs_v7 = {});

  // True when release `v` has the menu ("/ip ipsec profile") at all.
  bool has_menu(const std::string& menu, const Version& v) const;
  // The property's access in release `v`; nullopt when there is no evidence
  // that the release has it.
  std::optional<Access> property(const std::string& menu, const std::string& prop,
                                 const Version& v) const;
  // nullptr when no rule constrains the values (any value is taken).
  const ValueRule* value_rule(const std::string& menu, const std::string& prop,
                              const Version& v) const;

  // Why `value` is not a valid value of the property in release `v`, or
  // nullopt when it is (or nothing is known about its values).
  std::optional<std::string> check_value(const std::string& menu, const std::string& prop,
                                         const std::string& value, const Version& v) const;

  // The earliest release of major `major` that has the property; nullopt when
  // none does.
  std::optional<Version> since(const std::string& menu, const std::string& prop, int major) const;

private:
  struct Fact {
    int major = 7;
    Version since;
    std::optional<Version> until; // first release without it
    Access access = Access::read_write;
    bool holds(const Version& v) const {
      return v.major == major && since <= v && (!until || v < *until);
    }
  };
  struct Rule {
    int major = 7;
    ValueRule rule;
  };
  void add_fact(std::string_view menu, std::string_view prop, const Fact& fact);
  std::map<std::string, std::map<std::string, std::vector<Fact>, std::less<>>, std::less<>>
      m_properties;
  std::map<std::string, std::vector<Rule>, std::less<>> m_rules; // "menu\tprop"
};

// True for arguments of add/set that are not properties of the item
// (place-before, copy-from, numbers): neither the schema nor a check covers them.
bool is_command_argument(std::string_view name);

// One property a script or export uses that release `version` does not take.
struct PropertyProblem {
  Position pos;
  std::string menu;
  std::string property; // empty when the menu itself is unknown
  std::string message;
};

// Checks, without running anything, every menu that `commands` use and every
// property they write with add or set against `schema` for release
// `version`: the static half of what the simulator enforces, usable on real
// exports. Arguments that are not properties (place-before, copy-from, item
// numbers, [find ...]) are not checked.
std::vector<PropertyProblem> check_properties(const std::vector<Command>& commands,
                                              const Schema& schema, const Version& version);

} // namespace vpnaas::routeros
