#pragma once

#include <vpnaas/core/source_location.hpp>

#include <string>
#include <utility>
#include <variant>

namespace vpnaas {

// Categories that the CLI maps to exit codes (see apps/vpnaas/exit_codes.hpp).
enum class ErrorCode {
  invalid_input,    // the inventory or another user file is wrong
  lock_out_of_date, // --locked and the lock file would change
  missing_secret,   // no master key where one is required
  io,               // a file could not be read or written
  remote,           // a device or server failed
  unknown_name,     // a customer, device or other name the inventory does not have
  environment, // a key, key file or tool around vpnaas is not as needed (malformed, in the way)
  usage,       // the command line itself is wrong
  internal,
};

// A failure with the place it comes from and a sentence a user can act on.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  SourceLocation where;
  std::string hint;
};

// "invalid-input", "lock-out-of-date", ...: the stable name JSON output uses.
const char* error_code_name(ErrorCode code);

// "where: message (hint)" for logs and exceptions, with control bytes and
// invalid UTF-8 escaped (see printable()).
std::string to_string(const Error& e);

// Minimal expected-like result: library functions return it instead of throwing,
// and only the CLI turns errors into exit codes.
template <class T>
class [[nodiscard]] Result {
public:
  Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return m_v.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(m_v); }
  const T& value() const& { return std::get<0>(m_v); }
  T&& value() && { return std::get<0>(std::move(m_v)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(m_v); }

private:
  std::variant<T, Error> m_v;
};

struct Ok {};
using Status = Result<Ok>;

inline Error make_error(ErrorCode code, std::string message, std::string hint = {},
                        SourceLocation where = {}) {
  return Error{code, std::move(message), std::move(where), std::move(hint)};
}

} // namespace vpnaas
