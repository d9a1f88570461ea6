#include "exit_codes.hpp"

namespace vpnaas::cli {

int exit_code_for(ErrorCode code) {
  switch (code) {
  case ErrorCode::invalid_input:
  case ErrorCode::remote:
    return kExitInvalid;
  case ErrorCode::lock_out_of_date:
    return kExitLockOutOfDate;
  case ErrorCode::unknown_name:
  case ErrorCode::usage:
    return kExitUsage;
  case ErrorCode::missing_secret:
  case ErrorCode::environment:
  case ErrorCode::io:
  case ErrorCode::internal:
    return kExitRuntime;
  }
  return kExitRuntime;
}

int exit_code_for(const Diagnostics& diags) {
  return diags.has_io_errors() ? kExitRuntime : kExitInvalid;
}

} // namespace vpnaas::cli
