#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/render/routeros/plan.hpp>

#include <string>
#include <string_view>

namespace vpnaas::render::routeros {

// Where script text goes: a file being streamed, or a string in tests.
class ScriptSink {
public:
  virtual ~ScriptSink() = default;
  virtual void write(std::string_view text) = 0;
};

class StringSink : public ScriptSink {
public:
  void write(std::string_view text) override { m_text.append(text); }
  const std::string& text() const { return m_text; }

private:
  std::string m_text;
};

// Writes `plan` as one converging RouterOS script, identical for a first
// install and for every update, as one block:
//   1. the plan as data: per menu and kind of item, one line per item with
//      its key (comment tag, or name where the menu is keyed by name) and the
//      values that differ between items of that kind;
//   2. preconditions: a name the plan needs that an item vpnaas does not own
//      holds stops the import with :error before anything changed;
//   3. the removal of items vpnaas owns that the plan no longer lists, menu
//      by menu, dependents first (never an item vpnaas does not own);
//   4. per menu, one pass that indexes vpnaas's items, then per kind one loop
//      that adds the missing items and updates the others in place (a no-op
//      when they already match); firewall rules are moved in front of their
//      chain's first dropping rule, and keep_last items to the end;
//   5. the removal of stale IPsec profiles and proposals, which the peers and
//      policies updated in step 4 no longer reference.
// Every inventory string goes through quote(). Output depends only on the
// plan, so the same inventory, lock and key give identical bytes. Fails with
// invalid_input when a value that differs between items of a kind is empty
// or holds a comma (it could not be an element of a RouterOS array);
// validated inventories never have one.
Status write_script(const DevicePlan& plan, ScriptSink& out);

} // namespace vpnaas::render::routeros
