#include "fields.hpp"

#include <fmt/format.h>

#include <charconv>

namespace vpnaas::cwmp::detail {

std::string_view trim(std::string_view s) {
  constexpr std::string_view space = " \t\r\n";
  auto first = s.find_first_not_of(space);
  if (first == std::string_view::npos) {
    return {};
  }
  return s.substr(first, s.find_last_not_of(space) - first + 1);
}

std::optional<bool> parse_boolean(std::string_view s) {
  s = trim(s);
  auto is = [&](std::string_view word) {
    if (s.size() != word.size()) {
      return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
      if ((s[i] | 0x20) != word[i]) {
        return false;
      }
    }
    return true;
  };
  if (s == "1" || is("true")) {
    return true;
  }
  if (s == "0" || is("false")) {
    return false;
  }
  return std::nullopt;
}

bool Fields::in_message_namespace(const XmlNode& node) const {
  return node.ns.empty() || node.ns == m_cwmp_ns;
}

void Fields::fail(const XmlNode& at, std::string what) {
  if (!m_error) {
    m_error = make_error(ErrorCode::invalid_input, fmt::format("{} {}", at.path(), what),
                         "the CPE's TR-069 client sent a message vpnaas cannot use");
  }
}

const XmlNode* Fields::child(const XmlNode& parent, std::string_view name, Need need) {
  for (const auto& c : parent.children) {
    if (c.local == name && in_message_namespace(c)) {
      return &c;
    }
  }
  if (need == Need::required) {
    fail(parent, fmt::format("lacks the element <{}>", name));
  }
  return nullptr;
}

std::string Fields::raw_text(const XmlNode& parent, std::string_view name, Need need) {
  const auto* c = child(parent, name, need);
  return c == nullptr ? std::string() : c->text;
}

std::string Fields::text(const XmlNode& parent, std::string_view name, Need need) {
  return std::string(trim(raw_text(parent, name, need)));
}

std::uint32_t Fields::unsigned_number(const XmlNode& parent, std::string_view name, Need need) {
  const auto* c = child(parent, name, need);
  if (c == nullptr) {
    return 0;
  }
  auto s = trim(c->text);
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    fail(*c, fmt::format("is not an unsigned 32-bit number: '{}'", s));
    return 0;
  }
  return value;
}

int Fields::number(const XmlNode& parent, std::string_view name, Need need) {
  const auto* c = child(parent, name, need);
  if (c == nullptr) {
    return 0;
  }
  auto s = trim(c->text);
  int value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    fail(*c, fmt::format("is not a 32-bit number: '{}'", s));
    return 0;
  }
  return value;
}

bool Fields::boolean(const XmlNode& parent, std::string_view name, Need need) {
  const auto* c = child(parent, name, need);
  if (c == nullptr) {
    return false;
  }
  auto value = parse_boolean(c->text);
  if (!value) {
    fail(*c, fmt::format("is not a boolean (0, 1, true or false): '{}'", trim(c->text)));
    return false;
  }
  return *value;
}

std::vector<const XmlNode*> Fields::items(const XmlNode& parent, std::string_view name, Need need) {
  std::vector<const XmlNode*> out;
  if (const auto* array = child(parent, name, need)) {
    out.reserve(array->children.size());
    for (const auto& c : array->children) {
      out.push_back(&c);
    }
  }
  return out;
}

std::vector<std::string> Fields::strings(const XmlNode& parent, std::string_view name, Need need) {
  std::vector<std::string> out;
  for (const auto* item : items(parent, name, need)) {
    out.emplace_back(trim(item->text));
  }
  return out;
}

} // namespace vpnaas::cwmp::detail
