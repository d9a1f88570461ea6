#include <algorithm>
#include <array>

#include "parser.hpp"

namespace vpnaas::routeros::detail {

bool is_menu_verb(std::string_view word) {
  static constexpr std::array<std::string_view, 20> verbs{"add",
                                                          "set",
                                                          "remove",
                                                          "find",
                                                          "print",
                                                          "get",
                                                          "export",
                                                          "enable",
                                                          "disable",
                                                          "move",
                                                          "comment",
                                                          "edit",
                                                          "reset",
                                                          "unset",
                                                          "import",
                                                          "run",
                                                          "monitor",
                                                          "reset-counters",
                                                          "reset-counters-all",
                                                          "undo"};
  return std::find(verbs.begin(), verbs.end(), word) != verbs.end();
}

bool is_bare_global(std::string_view word) {
  static constexpr std::array<std::string_view, 10> globals{
      "if", "do", "foreach", "for", "while", "local", "global", "put", "log", "onerror"};
  return std::find(globals.begin(), globals.end(), word) != globals.end();
}

void apply_path(Menu& menu, std::string_view word, std::string* verb) {
  std::size_t start = 0;
  while (start <= word.size()) {
    std::size_t slash = word.find('/', start);
    std::string_view part = word.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    bool last = slash == std::string_view::npos;
    if (part == "..") {
      if (!menu.empty()) {
        menu.pop_back();
      }
    } else if (!part.empty()) {
      if (last && verb != nullptr && is_menu_verb(part)) {
        *verb = std::string(part);
      } else {
        menu.emplace_back(part);
      }
    }
    if (last) {
      break;
    }
    start = slash + 1;
  }
}

} // namespace vpnaas::routeros::detail
