#pragma once

// Reading the fields of one CWMP method element: child elements by local
// name (unqualified, as TR-069's schema has them, or in the message's CWMP
// namespace), with the first problem kept as the error of the whole read.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xml_tree.hpp"

namespace vpnaas::cwmp::detail {

enum class Need { required, optional };

class Fields {
public:
  explicit Fields(std::string_view cwmp_ns) : m_cwmp_ns(cwmp_ns) {}

  // The first child of `parent` named `name`; nullptr (and, when required,
  // an error) when there is none.
  const XmlNode* child(const XmlNode& parent, std::string_view name, Need need);

  // The text of the child `name`, trimmed; "" when optional and absent.
  std::string text(const XmlNode& parent, std::string_view name, Need need);
  // The same, untrimmed: parameter values keep their spaces.
  std::string raw_text(const XmlNode& parent, std::string_view name, Need need);
  std::uint32_t unsigned_number(const XmlNode& parent, std::string_view name, Need need);
  int number(const XmlNode& parent, std::string_view name, Need need);
  // xsd:boolean: 0, 1, true, false (any case, surrounding whitespace).
  bool boolean(const XmlNode& parent, std::string_view name, Need need);

  // The element children of the array `name`. Their count is what counts:
  // SOAP-ENC:arrayType is not read, CPEs get it wrong.
  std::vector<const XmlNode*> items(const XmlNode& parent, std::string_view name, Need need);
  std::vector<std::string> strings(const XmlNode& parent, std::string_view name, Need need);

  void fail(const XmlNode& at, std::string what);
  bool ok() const { return !m_error; }
  const Error& error() const { return *m_error; }

private:
  bool in_message_namespace(const XmlNode& node) const;

  std::string_view m_cwmp_ns;
  std::optional<Error> m_error;
};

std::string_view trim(std::string_view s);
std::optional<bool> parse_boolean(std::string_view s);

} // namespace vpnaas::cwmp::detail
