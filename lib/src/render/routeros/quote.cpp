#include <vpnaas/render/routeros/quote.hpp>

namespace vpnaas::render::routeros {

void append_quoted(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.reserve(out.size() + value.size() + 2);
  out.push_back('"');
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || c == '$' || c == '?') {
      out.push_back('\\');
      out.push_back(c);
    } else if (byte < 0x20 || byte >= 0x7F) {
      out.push_back('\\');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

std::string quote(std::string_view value) {
  std::string out;
  append_quoted(out, value);
  return out;
}

} // namespace vpnaas::render::routeros
