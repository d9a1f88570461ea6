// The SOAP layer of a CWMP message: size, XML, Envelope, Header, the one
// method of the Body, and the CWMP version its namespace names.

#include <vpnaas/cwmp/codec.hpp>

#include <fmt/format.h>

#include <array>
#include <exception>
#include <optional>

#include "fields.hpp"
#include "read_messages.hpp"
#include "xml_tree.hpp"

namespace vpnaas::cwmp {

namespace {

using detail::Fields;
using detail::XmlNode;

Error read_error(std::string message, std::string hint) {
  return make_error(ErrorCode::invalid_input, std::move(message), std::move(hint));
}

constexpr std::array all_versions = {Version::v1_0, Version::v1_1, Version::v1_2, Version::v1_3,
                                     Version::v1_4};

std::optional<Version> version_of(std::string_view ns) {
  for (auto v : all_versions) {
    if (ns == namespace_uri(v)) {
      return v;
    }
  }
  return std::nullopt;
}

std::string describe(const XmlNode& node) {
  return node.ns.empty() ? fmt::format("<{}> in no namespace", node.local)
                         : fmt::format("<{}> in namespace '{}'", node.local, node.ns);
}

const XmlNode* soap_child(const XmlNode& parent, std::string_view local) {
  for (const auto& c : parent.children) {
    if (c.ns == detail::soap_env_ns && c.local == local) {
      return &c;
    }
  }
  return nullptr;
}

// A SOAP Fault's <detail> holds the cwmp:Fault whose namespace gives the version.
const XmlNode* cwmp_fault_of(const XmlNode& soap_fault) {
  for (const auto& c : soap_fault.children) {
    if (c.local != "detail") {
      continue;
    }
    for (const auto& d : c.children) {
      if (d.local == "Fault" && version_of(d.ns)) {
        return &d;
      }
    }
  }
  return nullptr;
}

void read_header(const XmlNode& header, Envelope& out, Fields& fields) {
  for (const auto& h : header.children) {
    if (!version_of(h.ns)) {
      continue; // other headers (SOAP's own, vendors') do not concern CWMP
    }
    if (h.local == "ID") {
      out.id = h.text;
      const auto* must = h.attribute(detail::soap_env_ns, "mustUnderstand");
      out.id_must_understand = must != nullptr && detail::parse_boolean(*must).value_or(false);
    } else if (h.local == "HoldRequests") {
      auto value = detail::parse_boolean(h.text);
      if (!value) {
        fields.fail(
            h, fmt::format("is not a boolean (0, 1, true or false): '{}'", detail::trim(h.text)));
      }
      out.hold_requests = value.value_or(false);
    }
  }
}

Result<Envelope> read(std::string_view xml, std::size_t max_bytes) {
  if (xml.size() > max_bytes) {
    return read_error(fmt::format("the CWMP message is {} bytes, more than the limit of {} bytes",
                                  xml.size(), max_bytes),
                      "a CPE's messages are far smaller: this is not one, or it is broken");
  }
  auto parsed = detail::parse_xml(xml);
  if (!parsed) {
    return parsed.error();
  }
  const XmlNode& root = **parsed;
  const auto not_soap = "CWMP peers send SOAP 1.1 envelopes: check that the sender is a "
                        "TR-069 CPE or ACS";
  if (root.ns != detail::soap_env_ns || root.local != "Envelope") {
    return read_error(fmt::format("the message is not a SOAP 1.1 envelope: its root element is {}",
                                  describe(root)),
                      not_soap);
  }
  const auto* body = soap_child(root, "Body");
  if (body == nullptr) {
    return read_error("the SOAP envelope has no Body", not_soap);
  }
  if (body->children.empty()) {
    return read_error("the SOAP Body holds no CWMP method",
                      "a CPE with nothing more to say sends an empty HTTP body instead");
  }
  if (body->children.size() > 1) {
    return read_error(fmt::format("the SOAP Body holds {} elements; CWMP sends one method per "
                                  "envelope",
                                  body->children.size()),
                      "vpnaas answers InformResponse with MaxEnvelopes 1");
  }
  const XmlNode& method = body->children.front();

  Envelope out;
  const XmlNode* message_node = &method;
  const bool soap_fault = method.ns == detail::soap_env_ns && method.local == "Fault";
  if (soap_fault) {
    message_node = cwmp_fault_of(method);
    if (message_node == nullptr) {
      return read_error("the SOAP Fault carries no cwmp:Fault in its <detail>",
                        "a CWMP fault names its FaultCode in detail/cwmp:Fault");
    }
  }
  auto version = version_of(message_node->ns);
  if (!version) {
    return read_error(
        fmt::format("the SOAP Body's method {} is not CWMP (urn:dslforum-org:cwmp-1-0 to "
                    "cwmp-1-4)",
                    describe(method)),
        "vpnaas speaks CWMP 1.0 to 1.4 (TR-069) only");
  }
  out.version = *version;

  Fields fields(namespace_uri(out.version));
  if (const auto* header = soap_child(root, "Header")) {
    read_header(*header, out, fields);
  }
  if (soap_fault) {
    out.body = detail::read_fault(*message_node, fields);
  } else if (auto body_message = detail::read_method(method, fields)) {
    out.body = std::move(*body_message);
  } else {
    return read_error(fmt::format("the CWMP method '{}' is not one vpnaas knows", method.local),
                      "vpnaas reads the TR-069 RPCs listed in the README's CWMP section");
  }
  if (!fields.ok()) {
    return fields.error();
  }
  return out;
}

} // namespace

Result<Envelope> read_envelope(std::string_view xml, std::size_t max_bytes) {
  // Nothing below throws by design; a bad_alloc on a hostile input must
  // still not take the server down.
  try {
    return read(xml, max_bytes);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::internal,
                      fmt::format("reading a CWMP message failed: {}", e.what()));
  }
}

} // namespace vpnaas::cwmp
