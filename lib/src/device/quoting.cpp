#include <vpnaas/device/quoting.hpp>

#include <fmt/format.h>

namespace vpnaas::device {

Result<std::string> quoted_file_name(std::string_view name) {
  auto refuse = [&](std::string_view why) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("refusing the router file name {}: {}", quote(name), why),
                      "this is a bug in vpnaas: please report it");
  };
  if (name.empty() || name.size() > 200) {
    return refuse("it must have 1 to 200 characters");
  }
  if (name.front() == '/') {
    return refuse("it must not start with /");
  }
  for (const char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-' || c == '/';
    if (!plain) {
      return refuse("only letters, digits and ._-/ are allowed");
    }
  }
  for (std::size_t start = 0; start <= name.size();) {
    const auto end = std::min(name.find('/', start), name.size());
    if (name.substr(start, end - start) == "..") {
      return refuse("it must not hold a .. part");
    }
    start = end + 1;
  }
  return quote(name);
}

} // namespace vpnaas::device
