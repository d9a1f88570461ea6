#include <vpnaas/core/error.hpp>

#include <fmt/format.h>

namespace vpnaas {

std::string to_string(const Error& e) {
  std::string out =
      e.where.known() ? fmt::format("{}: {}", to_string(e.where), e.message) : e.message;
  if (!e.hint.empty()) {
    out += fmt::format(" ({})", e.hint);
  }
  return out;
}

} // namespace vpnaas
