#include <vpnaas/render/routeros/converge.hpp>
#include <vpnaas/render/routeros/quote.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <set>

namespace vpnaas::render::routeros {
namespace {

// The script's RouterOS constructs are those MikroTik's scripting manual
// documents for RouterOS 6 and 7 alike: `find` returns internal ids and
// `add` returns the new one, arrays made with [:toarray ""] and indexed with
// ->, :typeof "nothing" for a missing key, `move <id> <destination>`,
// `:error` stopping the import. Sources: lib/data/routeros/SOURCES.md.

void append_props(std::string& line, const std::vector<Prop>& props) {
  for (const Prop& p : props) {
    line.push_back(' ');
    line.append(p.name);
    if (p.style == Prop::Style::flag) {
      continue;
    }
    line.push_back('=');
    if (p.style == Prop::Style::text) {
      append_quoted(line, p.value);
    } else {
      line.append(p.value);
    }
  }
}

const std::string& key_prop(const PlanMenu& m) {
  return m.key;
}

std::string key_pattern(const PlanMenu& m) {
  return "^" + m.prefix;
}

// The names items of a comment-keyed menu will carry; nullptr-free list.
std::vector<std::string> needed_names(const PlanMenu& m) {
  std::vector<std::string> names;
  if (m.key != "comment") {
    return names;
  }
  for (const PlanItem& item : m.items) {
    for (const Prop& p : item.props) {
      if (p.name == "name") {
        names.push_back(p.value);
      }
    }
  }
  return names;
}

// Before anything changes: every name the plan gives an item must be free or
// held by an item vpnaas manages. Otherwise `add` would fail halfway, after
// the sweep had already removed things, so the script stops with :error and
// the router keeps its configuration untouched. Two passes per menu, so the
// work is linear in the items the router holds.
void write_preconditions(const DevicePlan& plan, ScriptSink& out) {
  std::string text;
  for (const PlanMenu& m : plan.menus) {
    auto names = needed_names(m);
    if (names.empty()) {
      continue;
    }
    text += "  {\n    :local vpnaasNeeded [:toarray \"\"]\n    :local vpnaasOurs [:toarray \"\"]\n";
    for (const auto& name : names) {
      text += "    :set ($vpnaasNeeded->";
      append_quoted(text, name);
      text += ") true\n";
    }
    text +=
        fmt::format("    :foreach vpnaasId in=[{0} find where comment~\"{1}\"] do={{\n"
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
                    m.path, key_pattern(m));
  }
  if (text.empty()) {
    return;
  }
  out.write("# Check first: a name vpnaas needs that an item it does not manage holds stops the\n"
            "# import here, before anything is changed.\n{\n  :local vpnaasTaken \"\"\n");
  out.write(text);
  out.write("  :if ([:len $vpnaasTaken] > 0) do={\n"
            "    :error (\"vpnaas: nothing was changed: these names are held by items vpnaas does "
            "not manage:\" . $vpnaasTaken . \" rename or remove them, then import again\")\n"
            "  }\n}\n");
}

// Removes, from each menu in `order`, the items vpnaas owns (comment tag
// "vpnaas:", or name "vpnaas-" in name-keyed menus) that the plan no longer
// lists. One block, so the wanted set is a local variable RouterOS keeps for
// the whole loop (each top-level line of an import is a scope).
void write_sweep(const std::vector<const PlanMenu*>& order, std::string_view why, ScriptSink& out) {
  std::string text = fmt::format("# {}\n{{\n  :local vpnaasWanted [:toarray \"\"]\n", why);
  for (const PlanMenu* m : order) {
    for (const PlanItem& item : m->items) {
      text += "  :set ($vpnaasWanted->";
      append_quoted(text, item.tag);
      text += ") true\n";
    }
  }
  out.write(text);
  for (const PlanMenu* m : order) {
    out.write(fmt::format("  :foreach vpnaasId in=[{0} find where {1}~\"{2}\"] do={{\n"
                          "    :local vpnaasKey [{0} get $vpnaasId {1}]\n"
                          "    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = \"nothing\") do={{\n"
                          "      {0} remove $vpnaasId\n"
                          "    }}\n"
                          "  }}\n",
                          m->path, key_prop(*m), key_pattern(*m)));
  }
  out.write("}\n");
}

// The first rule of each chain that drops, rejects, tarpits, or jumps to a
// chain holding such a rule: the rule vpnaas's accepts must come before.
// Nested ifs, because the manual does not say that `and` short-circuits.
void write_first_drops(const PlanMenu& m, std::string& text) {
  text += fmt::format(
      "  :local vpnaasDropping [:toarray \"\"]\n"
      "  :local vpnaasFirstDrop [:toarray \"\"]\n"
      "  :foreach vpnaasId in=[{0} find where dynamic=no] do={{\n"
      "    :local vpnaasAction [{0} get $vpnaasId action]\n"
      "    :if ($vpnaasAction = \"drop\" or $vpnaasAction = \"reject\" or $vpnaasAction = "
      "\"tarpit\") do={{\n"
      "      :set ($vpnaasDropping->[{0} get $vpnaasId chain]) true\n"
      "    }}\n"
      "  }}\n"
      "  :foreach vpnaasId in=[{0} find where dynamic=no] do={{\n"
      "    :local vpnaasChain [{0} get $vpnaasId chain]\n"
      "    :if ([:typeof ($vpnaasFirstDrop->$vpnaasChain)] = \"nothing\") do={{\n"
      "      :local vpnaasAction [{0} get $vpnaasId action]\n"
      "      :local vpnaasDrops ($vpnaasAction = \"drop\" or $vpnaasAction = \"reject\" or "
      "$vpnaasAction = \"tarpit\")\n"
      "      :if ($vpnaasAction = \"jump\") do={{\n"
      "        :if ([:typeof ($vpnaasDropping->[{0} get $vpnaasId jump-target])] != "
      "\"nothing\") do={{\n"
      "          :set vpnaasDrops true\n"
      "        }}\n"
      "      }}\n"
      "      :if ($vpnaasDrops) do={{\n"
      "        :set ($vpnaasFirstDrop->$vpnaasChain) $vpnaasId\n"
      "      }}\n"
      "    }}\n"
      "  }}\n",
      m.path);
}

void write_item(const PlanMenu& m, const PlanItem& item, std::string& text) {
  std::string key = quote(item.tag);
  std::string props;
  append_props(props, item.props);
  std::string id = fmt::format("($vpnaasIds->{})", key);
  // A tagged item gets its tag; other keys are among the item's props.
  std::string tag_prop = m.key == "comment" ? " comment=" + key : std::string();
  text += fmt::format("  :if ([:typeof {0}] = \"nothing\") do={{\n"
                      "    :set {0} [{1} add{2}{3}]\n"
                      "  }} else={{\n"
                      "    {1} set {0}{2}\n"
                      "  }}\n",
                      id, m.path, props, tag_prop);
}

// Moves each chain's kept-in-place rules in front of the chain's first
// dropping rule, the last rule first and each earlier one in front of the
// next: single-item moves, whose meaning the manual states, each a no-op
// where the rule is already in place, so a converged router is not touched
// and a rule moved away comes back.
void write_moves_before_drop(const PlanMenu& m, std::string& text) {
  std::map<std::string, std::vector<std::string>> by_chain;
  for (const PlanItem& item : m.items) {
    if (!item.before_drop_in.empty()) {
      by_chain[item.before_drop_in].push_back(fmt::format("($vpnaasIds->{})", quote(item.tag)));
    }
  }
  for (const auto& [chain, ids] : by_chain) {
    std::string first = fmt::format("($vpnaasFirstDrop->{})", quote(chain));
    text += fmt::format("  :if ([:typeof {}] != \"nothing\") do={{\n", first);
    for (std::size_t i = ids.size(); i-- > 0;) {
      text += fmt::format("    {} move {} {}\n", m.path, ids[i],
                          i + 1 == ids.size() ? first : ids[i + 1]);
    }
    text += "  }\n";
  }
}

// Moves the keep_last items to the end of the menu the same way: the last
// one to the end, each earlier one in front of the next.
void write_moves_to_end(const PlanMenu& m, std::string& text) {
  std::vector<std::string> ids;
  for (const PlanItem& item : m.items) {
    if (item.keep_last) {
      ids.push_back(fmt::format("($vpnaasIds->{})", quote(item.tag)));
    }
  }
  for (std::size_t i = ids.size(); i-- > 0;) {
    text += i + 1 == ids.size() ? fmt::format("  {} move {}\n", m.path, ids[i])
                                : fmt::format("  {} move {} {}\n", m.path, ids[i], ids[i + 1]);
  }
}

// One block per menu: one pass indexes the items vpnaas owns by key, then
// each planned item is added or updated in place through that index, so a
// router's work is linear in what it holds.
void write_menu(const PlanMenu& m, ScriptSink& out) {
  std::string text = fmt::format("# {}: {}\n", m.path, m.title);
  if (m.items.empty()) {
    out.write(text);
    return;
  }
  text += fmt::format("{{\n  :local vpnaasIds [:toarray \"\"]\n"
                      "  :foreach vpnaasId in=[{0} find where {1}~\"{2}\"] do={{\n"
                      "    :set ($vpnaasIds->[{0} get $vpnaasId {1}]) $vpnaasId\n"
                      "  }}\n",
                      m.path, key_prop(m), key_pattern(m));
  bool ordered = false;
  for (const PlanItem& item : m.items) {
    ordered = ordered || !item.before_drop_in.empty();
  }
  if (ordered) {
    write_first_drops(m, text);
  }
  for (const PlanItem& item : m.items) {
    write_item(m, item, text);
    if (text.size() > 32768) {
      out.write(text);
      text.clear();
    }
  }
  if (ordered) {
    write_moves_before_drop(m, text);
  }
  write_moves_to_end(m, text);
  text += "}\n";
  out.write(text);
}

} // namespace

void write_script(const DevicePlan& plan, ScriptSink& out) {
  std::string text;
  for (const auto& line : plan.header) {
    text += "# " + line + "\n";
  }
  out.write(text);
  write_preconditions(plan, out);

  std::vector<const PlanMenu*> early;
  std::vector<const PlanMenu*> late;
  for (auto it = plan.menus.rbegin(); it != plan.menus.rend(); ++it) {
    (it->sweep_last ? late : early).push_back(&*it);
  }
  write_sweep(early, "Remove what vpnaas added earlier and the inventory no longer wants.", out);
  for (const auto& m : plan.menus) {
    write_menu(m, out);
  }
  write_sweep(late, "Remove crypto suites no peer or policy uses any more.", out);
}

} // namespace vpnaas::render::routeros
