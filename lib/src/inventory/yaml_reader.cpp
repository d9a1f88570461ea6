#include "yaml_reader.hpp"

#include <vpnaas/core/suggest.hpp>

#include <fmt/format.h>

#include <charconv>

namespace vpnaas::inventory::detail {

std::string describe_type(const YAML::Node& node) {
  switch (node.Type()) {
  case YAML::NodeType::Map:
    return "a mapping";
  case YAML::NodeType::Sequence:
    return "a list";
  case YAML::NodeType::Scalar:
    return fmt::format("\"{}\"", node.Scalar());
  case YAML::NodeType::Null:
  case YAML::NodeType::Undefined:
    return "nothing";
  }
  return "nothing";
}

std::optional<std::string> name_problem(std::string_view name) {
  if (name.empty()) {
    return "it is empty";
  }
  if (name.size() > kMaxNameLength) {
    return fmt::format("it is {} characters long; the limit is {}", name.size(), kMaxNameLength);
  }
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name.front())) {
    return "it must start with a letter or a digit";
  }
  for (char c : name) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
        return "it contains a control character";
      }
      return fmt::format("it contains '{}'; only letters, digits, '-', '_' and '.' are allowed", c);
    }
  }
  return std::nullopt;
}

SourceLocation YamlFile::at(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0) {
    return whole_file();
  }
  return SourceLocation{m_path, mark.line + 1, mark.column + 1};
}

void YamlFile::error(const SourceLocation& where, std::string code, std::string message,
                     std::string hint) {
  m_diags.error(where, std::move(code), std::move(message), std::move(hint));
}

void YamlFile::warning(const SourceLocation& where, std::string code, std::string message,
                       std::string hint) {
  m_diags.warning(where, std::move(code), std::move(message), std::move(hint));
}

bool YamlFile::expect_scalar(const YAML::Node& node, std::string_view what) {
  if (node.IsScalar()) {
    return true;
  }
  error(at(node), "wrong-type",
        fmt::format("{} must be a single value, not {}", what, describe_type(node)));
  return false;
}

bool YamlFile::expect_sequence(const YAML::Node& node, std::string_view what) {
  if (node.IsSequence()) {
    return true;
  }
  std::string hint;
  if (node.IsScalar()) {
    hint = fmt::format("write it as a list: [{}]", node.Scalar());
  }
  error(at(node), "wrong-type", fmt::format("{} must be a list, not {}", what, describe_type(node)),
        hint);
  return false;
}

std::optional<std::string> YamlFile::string(const YAML::Node& node, std::string_view what) {
  if (!expect_scalar(node, what)) {
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<int> YamlFile::integer(const YAML::Node& node, std::string_view what, int min,
                                     int max) {
  auto text = string(node, what);
  if (!text) {
    return std::nullopt;
  }
  int value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc{} || end != text->data() + text->size()) {
    error(at(node), "wrong-type",
          fmt::format("{} must be a whole number, not \"{}\"", what, *text));
    return std::nullopt;
  }
  if (value < min || value > max) {
    error(at(node), "out-of-range",
          fmt::format("{} is {}, outside the allowed range {}..{}", what, value, min, max));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> YamlFile::boolean(const YAML::Node& node, std::string_view what) {
  auto text = string(node, what);
  if (!text) {
    return std::nullopt;
  }
  if (*text == "true" || *text == "yes") {
    return true;
  }
  if (*text == "false" || *text == "no") {
    return false;
  }
  error(at(node), "wrong-type", fmt::format("{} must be true or false, not \"{}\"", what, *text));
  return std::nullopt;
}

std::optional<Located<std::string>> YamlFile::name(const YAML::Node& node, std::string_view what) {
  auto text = string(node, what);
  if (!text) {
    return std::nullopt;
  }
  if (auto problem = name_problem(*text)) {
    error(at(node), "invalid-name",
          fmt::format("{} \"{}\" cannot be used: {}", what, *text, *problem),
          "use letters, digits, '-', '_' and '.', e.g. acme-bru-r1");
    return std::nullopt;
  }
  return Located<std::string>{*text, at(node)};
}

std::optional<Located<Ipv4Address>> YamlFile::address(const YAML::Node& node,
                                                      std::string_view what) {
  auto text = string(node, what);
  if (!text) {
    return std::nullopt;
  }
  auto parsed = Ipv4Address::parse(*text);
  if (!parsed) {
    error(at(node), "invalid-address", fmt::format("{}: {}", what, parsed.error().message),
          parsed.error().hint);
    return std::nullopt;
  }
  return Located<Ipv4Address>{*parsed, at(node)};
}

std::optional<Located<Ipv4Prefix>> YamlFile::prefix(const YAML::Node& node, std::string_view what) {
  auto text = string(node, what);
  if (!text) {
    return std::nullopt;
  }
  auto parsed = Ipv4Prefix::parse(*text);
  if (!parsed) {
    error(at(node), "invalid-prefix", fmt::format("{}: {}", what, parsed.error().message),
          parsed.error().hint);
    return std::nullopt;
  }
  return Located<Ipv4Prefix>{*parsed, at(node)};
}

std::optional<Duration> YamlFile::duration(const YAML::Node& node, std::string_view what) {
  auto text = string(node, what);
  if (!text) {
    return std::nullopt;
  }
  auto parsed = Duration::parse(*text);
  if (!parsed) {
    error(at(node), "invalid-duration", fmt::format("{}: {}", what, parsed.error().message),
          parsed.error().hint);
    return std::nullopt;
  }
  return *parsed;
}

std::vector<Located<Ipv4Prefix>> YamlFile::prefix_list(const YAML::Node& node,
                                                       std::string_view what, bool allow_empty) {
  std::vector<Located<Ipv4Prefix>> out;
  if (node.IsScalar() && !Ipv4Prefix::parse(node.Scalar())) {
    // "[42]" would only trade this error for the next one: show a real element.
    error(at(node), "wrong-type",
          fmt::format("{} must be a list, not {}", what, describe_type(node)),
          "write it as a list of IPv4 prefixes, e.g. [192.168.10.0/24]");
    return out;
  }
  if (!expect_sequence(node, what)) {
    return out;
  }
  if (node.size() == 0 && !allow_empty) {
    error(at(node), "empty-list", fmt::format("{} is empty", what),
          "list at least one network, e.g. [192.168.10.0/24]");
  }
  for (const auto& item : node) {
    if (auto p = prefix(item, what)) {
      out.push_back(*p);
    }
  }
  return out;
}

std::optional<Located<std::string>> YamlFile::choice(const YAML::Node& node, std::string_view what,
                                                     const std::vector<std::string>& choices) {
  auto text = string(node, what);
  if (!text) {
    return std::nullopt;
  }
  for (const auto& c : choices) {
    if (c == *text) {
      return Located<std::string>{*text, at(node)};
    }
  }
  std::string hint;
  if (auto near = closest_match(*text, choices)) {
    hint = fmt::format("did you mean \"{}\"?", *near);
  } else {
    hint = fmt::format("use one of: {}", fmt::join(choices, ", "));
  }
  error(at(node), "unknown-value", fmt::format("{} \"{}\" is not known", what, *text), hint);
  return std::nullopt;
}

std::optional<Located<std::string>> YamlFile::safe_text(const YAML::Node& node,
                                                        std::string_view what) {
  auto text = string(node, what);
  if (!text) {
    return std::nullopt;
  }
  for (char c : *text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      error(at(node), "unsafe-value",
            fmt::format("{} contains a control character, which a router configuration cannot "
                        "hold safely",
                        what),
            "remove tabs, newlines and other control characters from the value");
      return std::nullopt;
    }
  }
  return Located<std::string>{*text, at(node)};
}

Mapping::Mapping(YamlFile& file, const YAML::Node& node, std::string_view what,
                 std::vector<std::string> allowed)
    : m_file(file), m_what(what), m_where(file.at(node)) {
  if (!node.IsMap()) {
    m_file.error(
        m_where, "wrong-type",
        fmt::format("{} must be a mapping of keys to values, not {}", what, describe_type(node)));
    return;
  }
  m_ok = true;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first; // a copy: operator-> yields a temporary proxy
    if (!key.IsScalar()) {
      m_file.error(
          m_file.at(key), "wrong-type",
          fmt::format("a key in {} must be a plain word, not {}", what, describe_type(key)));
      continue;
    }
    const std::string& k = key.Scalar();
    bool known = std::find(allowed.begin(), allowed.end(), k) != allowed.end();
    if (!known) {
      std::string hint = fmt::format("allowed keys here: {}", fmt::join(allowed, ", "));
      if (auto near = closest_match(k, allowed)) {
        hint = fmt::format("did you mean \"{}\"?", *near);
      }
      m_file.error(m_file.at(key), "unknown-key", fmt::format("unknown key \"{}\" in {}", k, what),
                   hint);
      continue;
    }
    auto previous = std::find_if(m_entries.begin(), m_entries.end(),
                                 [&](const auto& entry) { return entry.first == k; });
    if (previous != m_entries.end()) {
      m_file.error(m_file.at(key), "duplicate-key",
                   fmt::format("key \"{}\" appears twice in {}; the first is at line {}", k, what,
                               previous->second.Mark().line + 1),
                   "remove one of them");
      continue;
    }
    m_entries.emplace_back(k, it->second);
  }
}

std::optional<YAML::Node> Mapping::get(std::string_view key) const {
  for (const auto& [k, v] : m_entries) {
    if (k == key) {
      return v;
    }
  }
  return std::nullopt;
}

std::optional<YAML::Node> Mapping::require(std::string_view key) {
  auto value = get(key);
  if (!value && m_ok) {
    m_file.error(m_where, "missing-key",
                 fmt::format("{} has no \"{}\", which is required", m_what, key),
                 fmt::format("add \"{}: ...\"", key));
  }
  return value;
}

} // namespace vpnaas::inventory::detail
