#include <vpnaas/core/error.hpp>
#include <vpnaas/core/printable.hpp>

#include <fmt/format.h>

namespace vpnaas {

const char* error_code_name(ErrorCode code) {
  switch (code) {
  case ErrorCode::invalid_input:
    return "invalid-input";
  case ErrorCode::lock_out_of_date:
    return "lock-out-of-date";
  case ErrorCode::missing_secret:
    return "missing-secret";
  case ErrorCode::io:
    return "io";
  case ErrorCode::remote:
    return "remote";
  case ErrorCode::unknown_name:
    return "unknown-name";
  case ErrorCode::environment:
    return "environment";
  case ErrorCode::usage:
    return "usage";
  case ErrorCode::internal:
    return "internal";
  }
  return "internal";
}

std::string to_string(const Error& e) {
  // As format_diagnostic: messages quote file content, so escape for the terminal.
  std::string out =
      e.where.known() ? fmt::format("{}: {}", to_string(e.where), e.message) : e.message;
  if (!e.hint.empty()) {
    out += fmt::format(" ({})", e.hint);
  }
  return printable(out);
}

} // namespace vpnaas
