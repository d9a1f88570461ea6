#include <vpnaas/routeros/schema.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace vpnaas::routeros {
namespace {

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t at = text.find(sep);
    out.push_back(text.substr(0, at));
    if (at == std::string_view::npos) {
      return out;
    }
    text.remove_prefix(at + 1);
  }
}

// Calls `row(line_number, cells)` for each data line of a TSV table whose
// header is `header`; fails on a wrong header or cell count.
template <class Row>
Status each_row(std::string_view table, std::string_view name, std::string_view header, Row row) {
  auto lines = split(table, '\n');
  if (lines.empty() || lines[0] != header) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("{}: the first line must be the header \"{}\"", name, header));
  }
  std::size_t columns = split(header, '\t').size();
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      continue;
    }
    auto cells = split(lines[i], '\t');
    if (cells.size() != columns) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("{}:{}: {} cells where the header has {}", name, i + 1,
                                    cells.size(), columns));
    }
    if (Status s = row(i + 1, cells); !s) {
      return s;
    }
  }
  return Ok{};
}

Result<Access> parse_access(std::string_view kind, std::string_view name, std::size_t line) {
  if (kind == "rw") {
    return Access::read_write;
  }
  if (kind == "ro") {
    return Access::read_only;
  }
  if (kind == "wo") {
    return Access::write_only;
  }
  return make_error(ErrorCode::invalid_input,
                    fmt::format("{}:{}: kind \"{}\" is not rw, ro or wo", name, line, kind));
}

Result<Version> parse_bound(std::string_view text, std::string_view name, std::size_t line) {
  auto v = parse_version(text);
  if (!v) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("{}:{}: \"{}\" is not a RouterOS version", name, line, text));
  }
  return *v;
}

// RouterOS time values: "30m", "1d2h", "10s", "500ms", "1w", or "hh:mm:ss".
bool is_duration(std::string_view v) {
  if (v.empty()) {
    return false;
  }
  if (v.find(':') != std::string_view::npos) {
    auto parts = split(v, ':');
    return parts.size() == 3 && std::all_of(parts.begin(), parts.end(), [](std::string_view p) {
             return !p.empty() && p.size() <= 2 &&
                    std::all_of(p.begin(), p.end(), [](char c) { return std::isdigit(c) != 0; });
           });
  }
  std::size_t i = 0;
  while (i < v.size()) {
    std::size_t digits = i;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])) != 0) {
      ++i;
    }
    if (i == digits) {
      return false;
    }
    if (v.substr(i, 2) == "ms") {
      i += 2;
    } else if (i < v.size() && std::string_view("wdhms").find(v[i]) != std::string_view::npos) {
      ++i;
    } else if (i != v.size()) {
      return false;
    }
  }
  return true;
}

} // namespace

Result<Schema> Schema::parse(std::string_view properties_v7, std::string_view properties_v6,
                             std::string_view values, std::string_view evidence_v7,
                             std::string_view docs_v7) {
  Schema schema;
  const Version v7_0{7, 0, 0};
  Status s = each_row(properties_v7, "properties-v7.tsv", "menu\tproperty\tsince\tuntil\tkind",
                      [&](std::size_t line, const std::vector<std::string_view>& c) -> Status {
                        Fact fact;
                        if (!c[2].empty()) {
                          auto since = parse_bound(c[2], "properties-v7.tsv", line);
                          if (!since) {
                            return since.error();
                          }
                          fact.since = *since;
                        } else {
                          fact.since = v7_0;
                        }
                        if (!c[3].empty()) {
                          auto until = parse_bound(c[3], "properties-v7.tsv", line);
                          if (!until) {
                            return until.error();
                          }
                          fact.until = *until;
                        }
                        auto access = parse_access(c[4], "properties-v7.tsv", line);
                        if (!access) {
                          return access.error();
                        }
                        fact.access = *access;
                        // A property that ended with 7.0 is the source's fact about
                        // RouterOS 6: it holds for every release of 6.
                        if (fact.until && *fact.until <= v7_0) {
                          fact = Fact{6, Version{6, 0, 0}, std::nullopt, fact.access};
                        }
                        schema.add_fact(c[0], c[1], fact);
                        return Ok{};
                      });
  if (!s) {
    return s.error();
  }
  // A real export shows its release has the property: it holds from that
  // release up to the next minor one.
  s = each_row(evidence_v7, "evidence-v7.tsv", "menu\tproperty\trelease\tsource",
               [&](std::size_t line, const std::vector<std::string_view>& c) -> Status {
                 auto release = parse_bound(c[2], "evidence-v7.tsv", line);
                 if (!release) {
                   return release.error();
                 }
                 Version next{release->major, release->minor + 1, 0};
                 schema.add_fact(c[0], c[1], Fact{7, *release, next, Access::read_write});
                 return Ok{};
               });
  if (!s) {
    return s.error();
  }
  if (!docs_v7.empty()) {
    s = each_row(docs_v7, "docs-v7.tsv", "menu\tproperty\tsince\tkind\tsource",
                 [&](std::size_t line, const std::vector<std::string_view>& c) -> Status {
                   auto since = parse_bound(c[2], "docs-v7.tsv", line);
                   if (!since) {
                     return since.error();
                   }
                   auto access = parse_access(c[3], "docs-v7.tsv", line);
                   if (!access) {
                     return access.error();
                   }
                   schema.add_fact(c[0], c[1], Fact{7, *since, std::nullopt, *access});
                   return Ok{};
                 });
    if (!s) {
      return s.error();
    }
  }
  s = each_row(properties_v6, "properties-v6.tsv", "menu\tproperty\tkind\tsource",
               [&](std::size_t line, const std::vector<std::string_view>& c) -> Status {
                 auto access = parse_access(c[2], "properties-v6.tsv", line);
                 if (!access) {
                   return access.error();
                 }
                 schema.add_fact(c[0], c[1], Fact{6, Version{6, 0, 0}, std::nullopt, *access});
                 return Ok{};
               });
  if (!s) {
    return s.error();
  }
  s = each_row(
      values, "values.tsv", "menu\tproperty\tmajor\ttype\tvalues\tsource",
      [&](std::size_t line, const std::vector<std::string_view>& c) -> Status {
        ValueRule rule;
        if (c[3] == "enum") {
          rule.type = ValueRule::Type::enumeration;
        } else if (c[3] == "list") {
          rule.type = ValueRule::Type::list;
        } else if (c[3] == "bool") {
          rule.type = ValueRule::Type::boolean;
        } else if (c[3] == "duration") {
          rule.type = ValueRule::Type::duration;
        } else {
          return make_error(ErrorCode::invalid_input,
                            fmt::format("values.tsv:{}: unknown type \"{}\"", line, c[3]));
        }
        for (auto v : split(c[4], ' ')) {
          if (!v.empty()) {
            rule.values.emplace_back(v);
          }
        }
        for (auto major : split(c[2], ',')) {
          if (major != "6" && major != "7") {
            return make_error(
                ErrorCode::invalid_input,
                fmt::format("values.tsv:{}: major \"{}\" is not 6 or 7", line, major));
          }
          schema.m_rules[fmt::format("{}\t{}", c[0], c[1])].push_back(Rule{major[0] - '0', rule});
        }
        return Ok{};
      });
  if (!s) {
    return s.error();
  }
  return schema;
}

void Schema::add_fact(std::string_view menu, std::string_view prop, const Fact& fact) {
  m_properties[std::string(menu)][std::string(prop)].push_back(fact);
}

bool Schema::has_menu(const std::string& menu, const Version& v) const {
  auto it = m_properties.find(menu);
  if (it == m_properties.end()) {
    return false;
  }
  return std::any_of(it->second.begin(), it->second.end(), [&](const auto& entry) {
    return std::any_of(entry.second.begin(), entry.second.end(),
                       [&](const Fact& f) { return f.holds(v); });
  });
}

std::optional<Access> Schema::property(const std::string& menu, const std::string& prop,
                                       const Version& v) const {
  auto it = m_properties.find(menu);
  if (it == m_properties.end()) {
    return std::nullopt;
  }
  auto p = it->second.find(prop);
  if (p == it->second.end()) {
    return std::nullopt;
  }
  for (const Fact& f : p->second) {
    if (f.holds(v)) {
      return f.access;
    }
  }
  return std::nullopt;
}

std::optional<Version> Schema::since(const std::string& menu, const std::string& prop,
                                     int major) const {
  auto it = m_properties.find(menu);
  if (it == m_properties.end()) {
    return std::nullopt;
  }
  auto p = it->second.find(prop);
  if (p == it->second.end()) {
    return std::nullopt;
  }
  std::optional<Version> best;
  for (const Fact& f : p->second) {
    if (f.major == major && (!best || f.since < *best)) {
      best = f.since;
    }
  }
  return best;
}

const ValueRule* Schema::value_rule(const std::string& menu, const std::string& prop,
                                    const Version& v) const {
  auto it = m_rules.find(fmt::format("{}\t{}", menu, prop));
  if (it == m_rules.end()) {
    return nullptr;
  }
  for (const Rule& r : it->second) {
    if (r.major == v.major) {
      return &r.rule;
    }
  }
  return nullptr;
}

std::optional<std::string> Schema::check_value(const std::string& menu, const std::string& prop,
                                               const std::string& value, const Version& v) const {
  const ValueRule* rule = value_rule(menu, prop, v);
  if (rule == nullptr) {
    return std::nullopt;
  }
  auto known = [&](std::string_view one) {
    return std::find(rule->values.begin(), rule->values.end(), one) != rule->values.end();
  };
  switch (rule->type) {
  case ValueRule::Type::boolean:
    if (value == "yes" || value == "no") {
      return std::nullopt;
    }
    return fmt::format("{}={} is not yes or no", prop, value);
  case ValueRule::Type::duration:
    if (is_duration(value)) {
      return std::nullopt;
    }
    return fmt::format("{}={} is not a time value (like 30m, 8h, 1d)", prop, value);
  case ValueRule::Type::enumeration:
    if (known(value)) {
      return std::nullopt;
    }
    break;
  case ValueRule::Type::list:
    if (!value.empty()) {
      auto parts = split(value, ',');
      if (std::all_of(parts.begin(), parts.end(), known)) {
        return std::nullopt;
      }
    }
    break;
  }
  return fmt::format("{}={} is not a value RouterOS {} takes; it takes {}", prop, value,
                     to_string(v), fmt::join(rule->values, ", "));
}

} // namespace vpnaas::routeros

namespace vpnaas::routeros::data {
// Defined in the source that cmake/EmbedText.cmake generates.
std::string properties_v7_tsv();
std::string properties_v6_tsv();
std::string values_tsv();
std::string evidence_v7_tsv();
std::string docs_v7_tsv();
} // namespace vpnaas::routeros::data

namespace vpnaas::routeros {

const Schema& Schema::builtin() {
  static const Schema schema = [] {
    auto parsed = Schema::parse(data::properties_v7_tsv(), data::properties_v6_tsv(),
                                data::values_tsv(), data::evidence_v7_tsv(), data::docs_v7_tsv());
    if (!parsed) {
      // The tables are compiled in and checked by the test suite: a parse
      // failure here is a broken build, not bad user input.
      throw std::logic_error("built-in RouterOS schema: " + parsed.error().message);
    }
    return std::move(*parsed);
  }();
  return schema;
}

} // namespace vpnaas::routeros
