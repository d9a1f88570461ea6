#include "xml_tree.hpp"

#include <fmt/format.h>

#include <optional>
#include <tinyxml2.h>
#include <utility>

namespace vpnaas::cwmp::detail {

namespace {

constexpr std::string_view xml_ns = "http://www.w3.org/XML/1998/namespace";

Error xml_error(std::string message) {
  return make_error(ErrorCode::invalid_input, std::move(message),
                    "the peer's TR-069 client sent XML that vpnaas cannot read");
}

// The prefix declarations in scope, innermost last; "" is the default namespace.
class Scope {
public:
  std::optional<std::string_view> lookup(std::string_view prefix) const {
    if (prefix == "xml") {
      return xml_ns;
    }
    for (auto it = m_bindings.rbegin(); it != m_bindings.rend(); ++it) {
      if (it->first == prefix) {
        return std::string_view(it->second);
      }
    }
    if (prefix.empty()) {
      return std::string_view();
    }
    return std::nullopt;
  }
  void push(std::string prefix, std::string uri) {
    m_bindings.emplace_back(std::move(prefix), std::move(uri));
  }
  void pop_to(std::size_t size) { m_bindings.resize(size); }
  std::size_t size() const { return m_bindings.size(); }

private:
  std::vector<std::pair<std::string, std::string>> m_bindings;
};

std::pair<std::string_view, std::string_view> split_qname(std::string_view name) {
  auto colon = name.find(':');
  if (colon == std::string_view::npos) {
    return {std::string_view(), name};
  }
  return {name.substr(0, colon), name.substr(colon + 1)};
}

class Builder {
public:
  std::optional<Error> error;

  void build(const tinyxml2::XMLElement& in, XmlNode& out) {
    const auto mark = m_scope.size();
    for (auto* a = in.FirstAttribute(); a != nullptr; a = a->Next()) {
      std::string_view name = a->Name();
      if (name == "xmlns") {
        m_scope.push("", a->Value());
      } else if (name.starts_with("xmlns:")) {
        m_scope.push(std::string(name.substr(6)), a->Value());
      }
    }
    auto [prefix, local] = split_qname(in.Name());
    out.local = local;
    out.ns = resolve(prefix, in.Name());
    for (auto* a = in.FirstAttribute(); a != nullptr && !error; a = a->Next()) {
      std::string_view name = a->Name();
      if (name == "xmlns" || name.starts_with("xmlns:")) {
        continue;
      }
      auto [attr_prefix, attr_local] = split_qname(name);
      // An unprefixed attribute is in no namespace, whatever the default is.
      std::string ns = attr_prefix.empty() ? std::string() : resolve(attr_prefix, name);
      out.attributes.push_back({std::move(ns), std::string(attr_local), a->Value()});
    }
    for (auto* c = in.FirstChild(); c != nullptr && !error; c = c->NextSibling()) {
      if (const auto* text = c->ToText()) {
        out.text += text->Value();
      } else if (const auto* element = c->ToElement()) {
        out.children.emplace_back();
        build(*element, out.children.back());
      }
    }
    m_scope.pop_to(mark);
  }

private:
  std::string resolve(std::string_view prefix, std::string_view qname) {
    auto uri = m_scope.lookup(prefix);
    if (!uri) {
      if (!error) {
        error = xml_error(fmt::format("the XML uses the namespace prefix '{}' (in '{}') without "
                                      "declaring it",
                                      prefix, qname));
      }
      return {};
    }
    return std::string(*uri);
  }

  Scope m_scope;
};

void link_parents(XmlNode& node) {
  for (auto& c : node.children) {
    c.parent = &node;
    link_parents(c);
  }
}

} // namespace

const std::string* XmlNode::attribute(std::string_view attr_ns, std::string_view attr_local) const {
  for (const auto& a : attributes) {
    if (a.ns == attr_ns && a.local == attr_local) {
      return &a.value;
    }
  }
  return nullptr;
}

std::string XmlNode::path() const {
  // Stops below the SOAP Body (and Envelope), which every message shares.
  if (parent == nullptr || (ns == soap_env_ns && (local == "Body" || local == "Header"))) {
    return {};
  }
  auto above = parent->path();
  return above.empty() ? local : above + "/" + local;
}

Result<std::unique_ptr<XmlNode>> parse_xml(std::string_view xml) {
  // PRESERVE_WHITESPACE: parameter values keep their spaces; names and
  // numbers are trimmed where they are read.
  tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    return xml_error(fmt::format("the message is not well-formed XML ({} at line {})",
                                 doc.ErrorName(), doc.ErrorLineNum()));
  }
  const auto* root = doc.RootElement();
  if (root == nullptr) {
    return xml_error("the message holds no XML element");
  }
  Builder builder;
  auto tree = std::make_unique<XmlNode>();
  builder.build(*root, *tree);
  if (builder.error) {
    return *builder.error;
  }
  link_parents(*tree);
  return tree;
}

} // namespace vpnaas::cwmp::detail
