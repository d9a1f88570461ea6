#include <vpnaas/render/routeros/converge.hpp>
#include <vpnaas/render/routeros/quote.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace vpnaas::render::routeros {
namespace {

// The script uses only constructs MikroTik's scripting manual documents for
// RouterOS 6 and 7 alike: `find` returns internal ids and `add` the new one,
// arrays made with [:toarray ""] or from a comma-separated string with
// :toarray, indexed with -> (by key or position), :typeof "nothing" for a
// missing key, :foreach over an array's values, `move <id> <destination>`,
// and :error stopping the import. Sources: lib/data/routeros/SOURCES.md.
//
// Its shape keeps the bytes per tunnel small and the router's work linear:
// every planned item is one data line, the item's key and the values that
// differ between items of its kind; the properties are written once per
// kind, in the loop that adds or updates the items; and one pass over each
// menu indexes what vpnaas owns there.

// Items of one menu that have the same properties in the same order are of
// one kind: a data array and one loop. A property with the same value on
// every item of the kind is written into the loop as a constant; the others
// are elements 1..n of each item's data array, element 0 being its key.
struct Kind {
  std::string array; // the script variable holding the kind's data
  const PlanItem* first = nullptr;
  std::vector<const PlanItem*> items;
  std::vector<int> element; // per property: its data element, or 0 when constant
  // What every item's key of the kind starts with ("vpnaas:gre:"): written
  // once, in the loop, instead of on every data line.
  std::string prefix;
  // A kind of one item is written as one statement, without data or loop:
  // fewer bytes, and easier to read (IPsec suites, firewall rules).
  bool single() const { return items.size() == 1; }
};

struct MenuKinds {
  const PlanMenu* menu = nullptr;
  std::vector<Kind> kinds;
  std::string keys; // the script variable holding the set of planned keys
};

std::string signature(const PlanItem& item) {
  std::string out;
  for (const Prop& p : item.props) {
    out += p.name;
    out += p.style == Prop::Style::flag ? "!" : "=";
  }
  return out;
}

// The item's value as written inside a quoted string: quote() without the
// quotes, so a value can never end the string.
std::string inside_quotes(const std::string& value) {
  std::string q = quote(value);
  return q.substr(1, q.size() - 2);
}

Result<std::vector<MenuKinds>> sort_into_kinds(const DevicePlan& plan) {
  std::vector<MenuKinds> out;
  for (std::size_t m = 0; m < plan.menus.size(); ++m) {
    MenuKinds menu{&plan.menus[m], {}, fmt::format("vpnaasKeys{}", m)};
    std::map<std::string, std::size_t> by_signature;
    // A value holding a comma (a VRF's interface list) cannot be an element
    // of a data array: items of a signature whose values differ there are
    // kinds of their own, written as single statements.
    std::map<std::string, const PlanItem*> first_of;
    std::set<std::string> apart;
    for (const PlanItem& item : plan.menus[m].items) {
      auto [first, fresh] = first_of.emplace(signature(item), &item);
      for (std::size_t p = 0; !fresh && p < item.props.size(); ++p) {
        const std::string& v = item.props[p].value;
        if (v != first->second->props[p].value &&
            (v.find(',') != std::string::npos ||
             first->second->props[p].value.find(',') != std::string::npos)) {
          apart.insert(signature(item));
        }
      }
    }
    for (const PlanItem& item : plan.menus[m].items) {
      std::string sig = signature(item);
      auto [it, fresh] = by_signature.emplace(apart.count(sig) != 0 ? sig + "#" + item.tag : sig,
                                              menu.kinds.size());
      if (fresh) {
        menu.kinds.push_back(
            Kind{fmt::format("vpnaasM{}K{}", m, menu.kinds.size()), &item, {}, {}, {}});
      }
      menu.kinds[it->second].items.push_back(&item);
    }
    for (Kind& kind : menu.kinds) {
      const std::string& tag = kind.first->tag;
      if (tag.rfind(kTagPrefix, 0) == 0) {
        auto second = tag.find(':', std::string_view(kTagPrefix).size());
        kind.prefix = tag.substr(0, second + 1);
        for (const PlanItem* item : kind.items) {
          if (item->tag.rfind(kind.prefix, 0) != 0) {
            kind.prefix.clear();
          }
        }
      }
      int next = 1;
      for (std::size_t p = 0; p < kind.first->props.size(); ++p) {
        const Prop& prop = kind.first->props[p];
        bool same = true;
        for (const PlanItem* item : kind.items) {
          same = same && item->props[p].value == prop.value;
        }
        bool is_key = prop.name == menu.menu->key;
        kind.element.push_back(same || is_key ? 0 : next++);
        if (same || is_key) {
          continue;
        }
        for (const PlanItem* item : kind.items) {
          const std::string& v = item->props[p].value;
          if (v.empty() || v.find(',') != std::string::npos) {
            return make_error(ErrorCode::invalid_input,
                              fmt::format("{} {}={} cannot be written into a RouterOS array: "
                                          "it is empty or holds a comma",
                                          menu.menu->path, prop.name, v));
          }
        }
      }
    }
    out.push_back(std::move(menu));
  }
  return out;
}

// `prop=value` of the loop body for property `p` of `kind`.
std::string loop_prop(const PlanMenu& m, const Kind& kind, std::size_t p) {
  const Prop& prop = kind.first->props[p];
  if (prop.style == Prop::Style::flag) {
    return " " + prop.name;
  }
  if (prop.name == m.key && !kind.single()) {
    return fmt::format(" {}=$vpnaasKey", prop.name);
  }
  if (kind.element[p] != 0) {
    return fmt::format(" {}=($vpnaasItem->{})", prop.name, kind.element[p]);
  }
  return fmt::format(" {}={}", prop.name,
                     prop.style == Prop::Style::text ? quote(prop.value) : prop.value);
}

// The key of the current item in a kind's loop, from its data element 0.
std::string loop_key(const Kind& kind) {
  return kind.prefix.empty() ? "($vpnaasItem->0)"
                             : fmt::format("({} . ($vpnaasItem->0))", quote(kind.prefix));
}

// Each item's data line is keyed by its key without the kind's prefix, which
// is also element 0; a second array holds the planned keys, for the
// removal's membership test.
void write_data(const MenuKinds& menu, ScriptSink& out) {
  std::string text = fmt::format("  # {}: {}\n  :local {} [:toarray \"\"]\n", menu.menu->path,
                                 menu.menu->title, menu.keys);
  for (const Kind& kind : menu.kinds) {
    if (kind.single()) {
      text += fmt::format("  :set (${}->{}) true\n", menu.keys, quote(kind.first->tag));
      continue;
    }
    text += fmt::format("  :local {} [:toarray \"\"]\n", kind.array);
    for (const PlanItem* item : kind.items) {
      std::string key = item->tag.substr(kind.prefix.size());
      std::string values = inside_quotes(key);
      for (std::size_t p = 0; p < item->props.size(); ++p) {
        if (kind.element[p] != 0) {
          values += "," + inside_quotes(item->props[p].value);
        }
      }
      text += fmt::format("  :set (${}->{}) [:toarray \"{}\"]\n", kind.array, quote(key), values);
      if (text.size() > 32768) {
        out.write(text);
        text.clear();
      }
    }
    text += fmt::format("  :foreach vpnaasItem in=${} do={{\n"
                        "    :set (${}->{}) true\n"
                        "  }}\n",
                        kind.array, menu.keys, loop_key(kind));
  }
  out.write(text);
}

// True when `key` is none of the menu's planned items.
std::string unplanned(const MenuKinds& menu, const std::string& key) {
  return fmt::format("[:typeof (${}->{})] = \"nothing\"", menu.keys, key);
}

// Before anything changes: every name the plan gives an item must be free or
// held by an item vpnaas manages. Otherwise `add` would fail halfway, after
// the sweep had already removed things, so the script stops with :error and
// the router keeps its configuration untouched. Two passes per menu: linear.
void write_preconditions(const std::vector<MenuKinds>& menus, ScriptSink& out) {
  std::string text;
  for (const MenuKinds& menu : menus) {
    const PlanMenu& m = *menu.menu;
    if (m.key != "comment") {
      continue;
    }
    std::string needed;
    for (const Kind& kind : menu.kinds) {
      for (std::size_t p = 0; p < kind.first->props.size(); ++p) {
        if (kind.first->props[p].name != "name") {
          continue;
        }
        needed += kind.element[p] != 0
                      ? fmt::format("    :foreach vpnaasItem in=${} do={{\n"
                                    "      :set ($vpnaasNeeded->($vpnaasItem->{})) true\n"
                                    "    }}\n",
                                    kind.array, kind.element[p])
                      : fmt::format("    :set ($vpnaasNeeded->{}) true\n",
                                    quote(kind.first->props[p].value));
      }
    }
    if (needed.empty()) {
      continue;
    }
    text += "  {\n    :local vpnaasNeeded [:toarray \"\"]\n    :local vpnaasOurs [:toarray \"\"]\n";
    text += needed;
    text +=
        fmt::format("    :foreach vpnaasId in=[{0} find where comment~\"^{1}\"] do={{\n"
                    "      :set ($vpnaasOurs->[{0} get $vpnaasId name]) true\n"
                    "    }}\n"
                    "    :foreach vpnaasId in=[{0} find] do={{\n"
                    "      :local vpnaasName [{0} get $vpnaasId name]\n"
                    "      :if ([:typeof ($vpnaasNeeded->$vpnaasName)] != \"nothing\") do={{\n"
                    "        :if ([:typeof ($vpnaasOurs->$vpnaasName)] = \"nothing\") do={{\n"
                    "          :set vpnaasTaken ($vpnaasTaken . \" {0} \" . $vpnaasName . \";\")\n"
                    "        }}\n"
                    "      }}\n"
                    "    }}\n"
                    "  }}\n",
                    m.path, m.prefix);
  }
  if (text.empty()) {
    return;
  }
  out.write("  # Check first: a name vpnaas needs that an item it does not manage holds stops\n"
            "  # the import here, before anything is changed.\n  :local vpnaasTaken \"\"\n");
  out.write(text);
  out.write("  :if ([:len $vpnaasTaken] > 0) do={\n"
            "    :error (\"vpnaas: nothing was changed: these names are held by items vpnaas "
            "does not manage:\" . $vpnaasTaken . \" rename or remove them, then import again\")\n"
            "  }\n");
}

// Removes the items vpnaas owns (comment tag "vpnaas:", or the menu's own
// key prefix) that the plan does not list, menu by menu.
void write_sweep(const std::vector<const MenuKinds*>& order, std::string_view why,
                 ScriptSink& out) {
  std::string text = fmt::format("  # {}\n", why);
  for (const MenuKinds* menu : order) {
    const PlanMenu& m = *menu->menu;
    if (m.owner.empty()) {
      text += fmt::format("  :foreach vpnaasId in=[{0} find where {1}~\"^{2}\"] do={{\n"
                          "    :local vpnaasKey [{0} get $vpnaasId {1}]\n"
                          "    :if ({3}) do={{\n"
                          "      {0} remove $vpnaasId\n"
                          "    }}\n"
                          "  }}\n",
                          m.path, m.key, m.prefix, unplanned(*menu, "$vpnaasKey"));
      continue;
    }
    // Only items on what vpnaas tags in the owner menu; the owner's stale
    // items are still there, since dependents are removed first.
    text +=
        fmt::format("  {{\n"
                    "    :local vpnaasOwned [:toarray \"\"]\n"
                    "    :foreach vpnaasId in=[{4} find where comment~\"^{5}\"] do={{\n"
                    "      :set ($vpnaasOwned->[{4} get $vpnaasId name]) true\n"
                    "    }}\n"
                    "    :foreach vpnaasId in=[{0} find where {1}~\"^{2}\"] do={{\n"
                    "      :local vpnaasKey [{0} get $vpnaasId {1}]\n"
                    "      :if ([:typeof ($vpnaasOwned->$vpnaasKey)] != \"nothing\") do={{\n"
                    "        :if ({3}) do={{\n"
                    "          {0} remove $vpnaasId\n"
                    "        }}\n"
                    "      }}\n"
                    "    }}\n"
                    "  }}\n",
                    m.path, m.key, m.prefix, unplanned(*menu, "$vpnaasKey"), m.owner, kTagPrefix);
  }
  out.write(text);
}

bool drops(const PlanItem& item) {
  return std::any_of(item.props.begin(), item.props.end(),
                     [](const Prop& p) { return p.name == "action" && p.value == "drop"; });
}

// The first rule of each chain that drops, rejects, tarpits, or jumps to a
// chain holding such a rule, other than vpnaas's own drops (cluster routers'
// tunnel-to-tunnel rules, one per customer from RouterOS 7.14): the rule
// vpnaas's rules must come before, its own drops last among them.
// Nested ifs, because the manual does not say that `and` short-circuits.
void write_first_drops(const PlanMenu& m, std::string& text) {
  std::string own;
  for (const PlanItem& item : m.items) {
    if (!item.before_drop_in.empty() && drops(item)) {
      own += (own.empty() ? "" : ",") + item.tag;
    }
  }
  std::string skip_own =
      own.empty() ? std::string()
                  : fmt::format("        :foreach vpnaasTag in=[:toarray {}] do={{\n"
                                "          :if ($vpnaasId = ($vpnaasIds->$vpnaasTag)) do={{\n"
                                "            :set vpnaasDrops false\n"
                                "          }}\n"
                                "        }}\n",
                                quote(own));
  text += fmt::format(
      "    :local vpnaasDropping [:toarray \"\"]\n"
      "    :local vpnaasFirstDrop [:toarray \"\"]\n"
      "    :foreach vpnaasId in=[{0} find where dynamic=no] do={{\n"
      "      :local vpnaasAction [{0} get $vpnaasId action]\n"
      "      :if ($vpnaasAction = \"drop\" or $vpnaasAction = \"reject\" or $vpnaasAction = "
      "\"tarpit\") do={{\n"
      "        :set ($vpnaasDropping->[{0} get $vpnaasId chain]) true\n"
      "      }}\n"
      "    }}\n"
      "    :foreach vpnaasId in=[{0} find where dynamic=no] do={{\n"
      "      :local vpnaasChain [{0} get $vpnaasId chain]\n"
      "      :if ([:typeof ($vpnaasFirstDrop->$vpnaasChain)] = \"nothing\") do={{\n"
      "        :local vpnaasAction [{0} get $vpnaasId action]\n"
      "        :local vpnaasDrops ($vpnaasAction = \"drop\" or $vpnaasAction = \"reject\" or "
      "$vpnaasAction = \"tarpit\")\n"
      "        :if ($vpnaasAction = \"jump\") do={{\n"
      "          :if ([:typeof ($vpnaasDropping->[{0} get $vpnaasId jump-target])] != "
      "\"nothing\") do={{\n"
      "            :set vpnaasDrops true\n"
      "          }}\n"
      "        }}\n"
      "{1}"
      "        :if ($vpnaasDrops) do={{\n"
      "          :set ($vpnaasFirstDrop->$vpnaasChain) $vpnaasId\n"
      "        }}\n"
      "      }}\n"
      "    }}\n",
      m.path, skip_own);
}

// Moves each chain's kept-in-place rules in front of the chain's first
// dropping rule, the last rule first and each earlier one in front of the
// next: single-item moves, whose meaning the manual states, each a no-op
// where the rule is already in place, so a converged router is not touched
// and a rule moved away comes back. keep_last items go to the end the same way.
void write_moves(const PlanMenu& m, std::string& text) {
  std::map<std::string, std::vector<std::string>> by_chain;
  std::vector<std::string> last;
  for (const PlanItem& item : m.items) {
    std::string id = fmt::format("($vpnaasIds->{})", quote(item.tag));
    if (!item.before_drop_in.empty()) {
      by_chain[item.before_drop_in].push_back(id);
    }
    if (item.keep_last) {
      last.push_back(id);
    }
  }
  for (const auto& [chain, ids] : by_chain) {
    std::string first = fmt::format("($vpnaasFirstDrop->{})", quote(chain));
    text += fmt::format("    :if ([:typeof {}] != \"nothing\") do={{\n", first);
    for (std::size_t i = ids.size(); i-- > 0;) {
      text += fmt::format("      {} move {} {}\n", m.path, ids[i],
                          i + 1 == ids.size() ? first : ids[i + 1]);
    }
    text += "    }\n";
  }
  if (!m.before_named.empty() && !m.items.empty()) {
    text += fmt::format("    :foreach vpnaasAnchor in=[{} find where name={}] do={{\n", m.path,
                        quote(m.before_named));
    for (std::size_t i = m.items.size(); i-- > 0;) {
      std::string id = fmt::format("($vpnaasIds->{})", quote(m.items[i].tag));
      std::string next = i + 1 == m.items.size()
                             ? std::string("$vpnaasAnchor")
                             : fmt::format("($vpnaasIds->{})", quote(m.items[i + 1].tag));
      text += fmt::format("      {} move {} {}\n", m.path, id, next);
    }
    text += "    }\n";
  }
  for (std::size_t i = last.size(); i-- > 0;) {
    text += i + 1 == last.size() ? fmt::format("    {} move {}\n", m.path, last[i])
                                 : fmt::format("    {} move {} {}\n", m.path, last[i], last[i + 1]);
  }
}

// One pass indexes the items vpnaas owns by key; then each kind's loop adds
// the planned items that are missing and updates the others in place.
void write_apply(const MenuKinds& menu, ScriptSink& out) {
  const PlanMenu& m = *menu.menu;
  std::string text = fmt::format("  # {}: {}\n", m.path, m.title);
  if (m.items.empty()) {
    out.write(text);
    return;
  }
  text += fmt::format("  {{\n    :local vpnaasIds [:toarray \"\"]\n"
                      "    :foreach vpnaasId in=[{0} find where {1}~\"^{2}\"] do={{\n"
                      "      :set ($vpnaasIds->[{0} get $vpnaasId {1}]) $vpnaasId\n"
                      "    }}\n",
                      m.path, m.key, m.prefix);
  bool ordered = false;
  for (const PlanItem& item : m.items) {
    ordered = ordered || !item.before_drop_in.empty();
  }
  if (ordered) {
    write_first_drops(m, text);
  }
  for (const Kind& kind : menu.kinds) {
    std::string props;
    for (std::size_t p = 0; p < kind.first->props.size(); ++p) {
      props += loop_prop(m, kind, p);
    }
    if (kind.single()) {
      std::string id = fmt::format("($vpnaasIds->{})", quote(kind.first->tag));
      std::string tag_prop = m.key == "comment" ? " comment=" + quote(kind.first->tag) : "";
      text += fmt::format("    :if ([:typeof {0}] = \"nothing\") do={{\n"
                          "      :set {0} [{1} add{2}{3}]\n"
                          "    }} else={{\n"
                          "      {1} set {0}{2}\n"
                          "    }}\n",
                          id, m.path, props, tag_prop);
      continue;
    }
    std::string tag_prop = m.key == "comment" ? " comment=$vpnaasKey" : std::string();
    text += fmt::format("    :foreach vpnaasItem in=${0} do={{\n"
                        "      :local vpnaasKey {4}\n"
                        "      :local vpnaasId ($vpnaasIds->$vpnaasKey)\n"
                        "      :if ([:typeof $vpnaasId] = \"nothing\") do={{\n"
                        "        :set ($vpnaasIds->$vpnaasKey) [{1} add{2}{3}]\n"
                        "      }} else={{\n"
                        "        {1} set $vpnaasId{2}\n"
                        "      }}\n"
                        "    }}\n",
                        kind.array, m.path, props, tag_prop, loop_key(kind));
  }
  write_moves(m, text);
  text += "  }\n";
  out.write(text);
}

} // namespace

Status write_script(const DevicePlan& plan, ScriptSink& out) {
  auto menus = sort_into_kinds(plan);
  if (!menus) {
    return menus.error();
  }
  std::string text;
  for (const auto& line : plan.header) {
    text += "# " + line + "\n";
  }
  // One block: RouterOS keeps a block's locals for all of it, and each
  // top-level line of an import is a scope of its own.
  text += "{\n";
  out.write(text);
  for (const MenuKinds& menu : *menus) {
    write_data(menu, out);
  }
  write_preconditions(*menus, out);

  std::vector<const MenuKinds*> early;
  std::vector<const MenuKinds*> late;
  for (auto it = menus->rbegin(); it != menus->rend(); ++it) {
    (it->menu->sweep_last ? late : early).push_back(&*it);
  }
  write_sweep(early, "Remove what vpnaas added earlier and the inventory no longer wants.", out);
  for (const MenuKinds& menu : *menus) {
    write_apply(menu, out);
  }
  write_sweep(late, "Remove crypto suites no peer or policy uses any more.", out);
  out.write("}\n");
  return Ok{};
}

} // namespace vpnaas::render::routeros
