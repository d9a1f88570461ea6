#pragma once

// A namespace-resolved copy of a tinyxml2 document. tinyxml2 knows nothing
// of XML namespaces (an element's name is "prefix:local"), and CPEs use
// any prefix, default namespaces and redeclarations, so the codec matches
// on the URI this tree resolves for every element and attribute.

#include <vpnaas/core/error.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::cwmp::detail {

inline constexpr std::string_view soap_env_ns = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view soap_enc_ns = "http://schemas.xmlsoap.org/soap/encoding/";
inline constexpr std::string_view xsd_ns = "http://www.w3.org/2001/XMLSchema";
inline constexpr std::string_view xsi_ns = "http://www.w3.org/2001/XMLSchema-instance";

struct XmlAttribute {
  std::string ns; // empty for an unprefixed attribute (the default namespace does not apply)
  std::string local;
  std::string value;
};

struct XmlNode {
  std::string ns; // empty when no default namespace is in scope
  std::string local;
  std::vector<XmlAttribute> attributes;
  std::string text; // the element's own text and CDATA, entities decoded
  std::vector<XmlNode> children;
  const XmlNode* parent = nullptr;

  // The value of the attribute {ns}local, or nullptr.
  const std::string* attribute(std::string_view attr_ns, std::string_view attr_local) const;
  // "Inform/DeviceId/SerialNumber": the local names from below the SOAP Body down to here.
  std::string path() const;
};

// Parses `xml` and resolves its namespaces. The root is on the heap so that
// the parent links stay valid when the result moves. Fails (invalid_input) on XML
// that is not well-formed, nests deeper than tinyxml2 allows, or uses a
// prefix it never declares.
Result<std::unique_ptr<XmlNode>> parse_xml(std::string_view xml);

} // namespace vpnaas::cwmp::detail
