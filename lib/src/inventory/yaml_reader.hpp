#pragma once

// Strict, position-aware access to one YAML file. Every accessor reports what
// is wrong at the exact line and column and returns nullopt, so the loader can
// go on and collect every mistake of the file in one run.

#include <vpnaas/core/diagnostic.hpp>
#include <vpnaas/core/duration.hpp>
#include <vpnaas/inventory/model.hpp>
#include <vpnaas/net/ipv4.hpp>

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::inventory::detail {

class YamlFile {
public:
  YamlFile(std::string display_path, Diagnostics& diags)
      : m_path(std::move(display_path)), m_diags(diags) {}

  const std::string& path() const { return m_path; }
  Diagnostics& diags() { return m_diags; }

  SourceLocation at(const YAML::Node& node) const;
  SourceLocation whole_file() const { return SourceLocation{m_path, 0, 0}; }

  void error(const SourceLocation& where, std::string code, std::string message,
             std::string hint = {});
  void warning(const SourceLocation& where, std::string code, std::string message,
               std::string hint = {});

  // Type checks; `what` names the value in messages ("device name").
  std::optional<std::string> string(const YAML::Node& node, std::string_view what);
  std::optional<int> integer(const YAML::Node& node, std::string_view what, int min, int max);
  std::optional<bool> boolean(const YAML::Node& node, std::string_view what);
  std::optional<Located<std::string>> name(const YAML::Node& node, std::string_view what);
  std::optional<Located<Ipv4Address>> address(const YAML::Node& node, std::string_view what);
  std::optional<Located<Ipv4Prefix>> prefix(const YAML::Node& node, std::string_view what);
  std::optional<Duration> duration(const YAML::Node& node, std::string_view what);
  // A list of prefixes; `allow_empty` false reports an empty list.
  std::vector<Located<Ipv4Prefix>> prefix_list(const YAML::Node& node, std::string_view what,
                                               bool allow_empty);
  // One of `choices`, with a did-you-mean on a near miss.
  std::optional<Located<std::string>> choice(const YAML::Node& node, std::string_view what,
                                             const std::vector<std::string>& choices);
  // Free text that ends up in a device configuration: no control characters.
  std::optional<Located<std::string>> safe_text(const YAML::Node& node, std::string_view what);

  bool expect_sequence(const YAML::Node& node, std::string_view what);

private:
  bool expect_scalar(const YAML::Node& node, std::string_view what);

  std::string m_path;
  Diagnostics& m_diags;
};

// The keys of one YAML mapping, checked against the keys allowed there:
// unknown keys (with the closest allowed key suggested), duplicate keys and
// non-scalar keys are reported on construction.
class Mapping {
public:
  Mapping(YamlFile& file, const YAML::Node& node, std::string_view what,
          std::vector<std::string> allowed);

  // false when the node was not a mapping (already reported).
  bool ok() const { return m_ok; }
  SourceLocation where() const { return m_where; }

  // The value of `key`, or nullopt when absent.
  std::optional<YAML::Node> get(std::string_view key) const;
  // Like get(), but reports a missing key at the mapping's location.
  std::optional<YAML::Node> require(std::string_view key);

private:
  YamlFile& m_file;
  std::string m_what;
  SourceLocation m_where;
  bool m_ok = false;
  std::vector<std::pair<std::string, YAML::Node>> m_entries;
};

// "a mapping", "a list", "a text value", "nothing" for type errors.
std::string describe_type(const YAML::Node& node);

// Names used for customers, clusters, sites and devices end up in interface
// names, comments and file paths: letters, digits, '-', '_', '.', starting
// with a letter or digit, at most kMaxNameLength characters.
inline constexpr std::size_t kMaxNameLength = 40;
std::optional<std::string> name_problem(std::string_view name);

} // namespace vpnaas::inventory::detail
