#pragma once

// Reading the method element of a SOAP Body into its message.

#include <vpnaas/cwmp/messages.hpp>

#include <optional>
#include <string_view>

#include "fields.hpp"

namespace vpnaas::cwmp::detail {

// The message of method element `method` (already known to be in a CWMP
// namespace), or nullopt when `method.local` names no message this codec
// knows. A field problem is left in `fields`.
std::optional<Body> read_method(const XmlNode& method, Fields& fields);

// The cwmp:Fault inside a SOAP Fault's <detail>.
Fault read_fault(const XmlNode& cwmp_fault, Fields& fields);

} // namespace vpnaas::cwmp::detail
