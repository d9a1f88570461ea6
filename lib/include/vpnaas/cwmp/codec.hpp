#pragma once

// Reading and writing CWMP SOAP envelopes: no transport, no session state.
// The same codec serves both ends (the ACS reads what a CPE sends, the test
// CPE reads what the ACS sends), so every message is tested once.

#include <vpnaas/core/error.hpp>
#include <vpnaas/cwmp/messages.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace vpnaas::cwmp {

// The largest envelope read_envelope() accepts when the caller names none.
inline constexpr std::size_t default_max_envelope_bytes = 1024 * 1024;

// Reads one SOAP envelope. Elements are matched by namespace URI (any
// prefix, default namespaces, redeclarations), the CWMP version is taken
// from the namespace the message uses, and real CPEs' sloppiness is
// accepted: no Header or cwmp:ID, single quotes, wrong arrayType counts
// (the elements are counted), booleans as 0/1/true/false, whitespace around
// names and numbers. An empty HTTP body (the CPE's "no more requests") is
// not an envelope: the caller checks for it first.
//
// Fails with ErrorCode::invalid_input and a sentence naming what was wrong
// when `xml` is longer than `max_bytes`, is not well-formed XML, is not a
// SOAP 1.1 envelope, uses no CWMP namespace, carries a method this codec
// does not know, or lacks or garbles a field the message needs. Never throws.
Result<Envelope> read_envelope(std::string_view xml,
                               std::size_t max_bytes = default_max_envelope_bytes);

// Writes `envelope` as a SOAP envelope in its CWMP version, with the
// prefixes soap-env, soap-enc, xsd, xsi and cwmp, a Header only when it
// carries a cwmp:ID or HoldRequests, arrayType counts that match, and all
// text escaped so that read_envelope() gives the same Envelope back.
std::string write_envelope(const Envelope& envelope);

// The envelope that answers `request` with `body`: the request's CWMP
// version and its cwmp:ID with the same mustUnderstand, as TR-069 asks of
// a response.
Envelope answer(const Envelope& request, Body body);

} // namespace vpnaas::cwmp
