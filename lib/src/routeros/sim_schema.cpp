#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "sim_engine.hpp"

namespace vpnaas::routeros::detail {
namespace {

// Item flags every menu answers in `find where` and `get`, though the
// schema lists only properties a script can write or print.
bool is_item_flag(const std::string& prop) {
  static constexpr std::array<std::string_view, 6> flags{"dynamic", "invalid",  "default",
                                                         "builtin", "disabled", "inactive"};
  return std::find(flags.begin(), flags.end(), prop) != flags.end();
}

} // namespace

void Engine::check_menu(const Command& cmd) {
  std::string menu = menu_path(cmd.menu);
  // Every command of a script names a menu: ask the schema once per menu.
  auto known = m_known_menus.find(menu);
  if (known == m_known_menus.end()) {
    known = m_known_menus.emplace(menu, Schema::builtin().has_menu(menu, m_router.version())).first;
  }
  if (!known->second) {
    throw SimError(cmd.pos, fmt::format("bad command name: RouterOS {} has no menu {}",
                                        to_string(m_router.version()), menu));
  }
}

void Engine::check_writable(const std::string& menu, const std::string& prop,
                            const std::string& value, const Command& cmd) {
  if (is_command_argument(prop)) {
    return;
  }
  const Schema& schema = Schema::builtin();
  const Version& v = m_router.version();
  auto access = schema.property(menu, prop, v);
  if (!access) {
    auto since = schema.since(menu, prop, v.major);
    throw SimError(cmd.pos,
                   since ? fmt::format("expected end of command: {} has no property {} before "
                                       "RouterOS {} (this router runs {})",
                                       menu, prop, to_string(*since), to_string(v))
                         : fmt::format("expected end of command: {} has no property {} in "
                                       "RouterOS {}",
                                       menu, prop, to_string(v)));
  }
  if (*access == Access::read_only) {
    throw SimError(cmd.pos, fmt::format("{} {} is read-only", menu, prop));
  }
  if (!value.empty()) {
    if (auto why = schema.check_value(menu, prop, value, v)) {
      throw SimError(cmd.pos, "invalid value: " + *why);
    }
  }
}

void Engine::check_readable(const std::string& menu, const std::string& prop, const Command& cmd) {
  if (is_item_flag(prop)) {
    return;
  }
  if (!Schema::builtin().property(menu, prop, m_router.version())) {
    throw SimError(cmd.pos, fmt::format("{} has no property {} in RouterOS {}", menu, prop,
                                        to_string(m_router.version())));
  }
}

} // namespace vpnaas::routeros::detail
