#pragma once

#include <vpnaas/apply/apply.hpp>

#include <cstddef>
#include <vector>

namespace vpnaas::cli {

// Shows the progress of an apply on stderr. On a terminal: one status line
// redrawn in place, with each failure printed above it as it happens. Else
// (CI logs): one line per finished router. Calls must not overlap, which the
// apply engine guarantees for its progress callback.
class ApplyProgress {
public:
  ApplyProgress(std::size_t total, bool terminal);
  void update(const apply::Progress& progress);
  // Removes the status line before the final table is printed.
  void finish();

private:
  void redraw();

  bool m_terminal;
  std::vector<apply::Stage> m_stages; // current stage of each router
  std::size_t m_done = 0;
  std::size_t m_failed = 0;
};

} // namespace vpnaas::cli
