#pragma once

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
// install and for every update:
//   1. a block that removes items tagged "vpnaas:" whose tag the plan does
//      not list, menu by menu, dependents first (never an untagged item);
//   2. for every planned item, in plan order: `add` it when no item carries
//      its tag, otherwise `set` its properties in place (a no-op when they
//      already match); items with `place_before` are added before the first
//      match of that find expression, or at the end when there is none;
//   3. a block that removes stale IPsec profiles and proposals, which the
//      peers and policies updated in step 2 no longer reference.
// Every inventory string goes through quote(). Output depends only on the
// plan, so the same inventory, lock and key give identical bytes.
void write_script(const DevicePlan& plan, ScriptSink& out);

} // namespace vpnaas::render::routeros
