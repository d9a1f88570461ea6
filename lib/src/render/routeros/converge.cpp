#include <vpnaas/render/routeros/converge.hpp>
#include <vpnaas/render/routeros/quote.hpp>

#include <fmt/format.h>

namespace vpnaas::render::routeros {
namespace {

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

// Removes, from each menu in `order`, the items tagged "vpnaas:" whose tag is
// not in `wanted`. One block, so the wanted set is a local variable RouterOS
// keeps for the whole loop (each top-level line of an import is a scope).
void write_sweep(const std::vector<const PlanMenu*>& order,
                 const std::vector<const PlanMenu*>& wanted, std::string_view why,
                 ScriptSink& out) {
  std::string text = fmt::format("# {}\n{{\n  :local vpnaasWanted [:toarray \"\"]\n", why);
  for (const PlanMenu* m : wanted) {
    for (const PlanItem& item : m->items) {
      text += "  :set ($vpnaasWanted->";
      append_quoted(text, item.tag);
      text += ") true\n";
    }
  }
  out.write(text);
  for (const PlanMenu* m : order) {
    out.write(fmt::format("  :foreach vpnaasId in=[{0} find where comment~\"^{1}\"] do={{\n"
                          "    :local vpnaasTag [{0} get $vpnaasId comment]\n"
                          "    :if ([:typeof ($vpnaasWanted->$vpnaasTag)] = \"nothing\") do={{\n"
                          "      {0} remove $vpnaasId\n"
                          "    }}\n"
                          "  }}\n",
                          m->path, kTagPrefix));
  }
  out.write("}\n");
}

void write_item(const PlanMenu& m, const PlanItem& item, std::string& text) {
  std::string quoted_tag = quote(item.tag);
  std::string props;
  append_props(props, item.props);
  text += fmt::format(":if ([:len [{} find where comment={}]] = 0) do={{\n", m.path, quoted_tag);
  if (item.place_before.empty()) {
    text += fmt::format("  {} add{} comment={}\n", m.path, props, quoted_tag);
  } else {
    text += fmt::format("  :local vpnaasBefore [{} find where {}]\n"
                        "  :if ([:len $vpnaasBefore] = 0) do={{\n"
                        "    {} add{} comment={}\n"
                        "  }} else={{\n"
                        "    {} add{} comment={} place-before=($vpnaasBefore->0)\n"
                        "  }}\n",
                        m.path, item.place_before, m.path, props, quoted_tag, m.path, props,
                        quoted_tag);
  }
  text += fmt::format("}} else={{\n  {} set [find where comment={}]{}\n}}\n", m.path, quoted_tag,
                      props);
}

} // namespace

void write_script(const DevicePlan& plan, ScriptSink& out) {
  std::string text;
  for (const auto& line : plan.header) {
    text += "# " + line + "\n";
  }
  out.write(text);

  std::vector<const PlanMenu*> early;
  std::vector<const PlanMenu*> late;
  for (auto it = plan.menus.rbegin(); it != plan.menus.rend(); ++it) {
    (it->sweep_last ? late : early).push_back(&*it);
  }
  write_sweep(early, early, "Remove what vpnaas added earlier and the inventory no longer wants.",
              out);

  for (const auto& m : plan.menus) {
    text = fmt::format("# {}: {}\n", m.path, m.title);
    for (const auto& item : m.items) {
      write_item(m, item, text);
      if (text.size() > 32768) {
        out.write(text);
        text.clear();
      }
    }
    out.write(text);
  }
  write_sweep(late, late, "Remove crypto suites no peer or policy uses any more.", out);
}

} // namespace vpnaas::render::routeros
