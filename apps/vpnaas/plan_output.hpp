#pragma once

// How `vpnaas plan` shows an inventory diff: a readable per-router diff on a
// terminal, one JSON document for pipelines.

#include <vpnaas/plan/diff.hpp>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace vpnaas::cli {

struct PlanTextOptions {
  bool summary_only = false; // one line per router, no items
  bool color = false;
};

// Prints one device's diff as it arrives (text output streams, so a huge
// plan never sits in memory); unchanged routers are only counted and listed
// by finish().
class PlanTextPrinter {
public:
  PlanTextPrinter(std::FILE* out, PlanTextOptions options);
  void device(const plan::DeviceDiff& diff);
  // The unchanged routers and the totals; `base` and `head` name the sides.
  void finish(const std::string& base, const std::string& head);

private:
  std::FILE* m_out;
  PlanTextOptions m_options;
  std::vector<std::string> m_unchanged;
  std::size_t m_devices[4] = {0, 0, 0, 0}; // by DeviceDiff::Status
  std::size_t m_items[3] = {0, 0, 0};      // by ItemChange::Kind
};

nlohmann::json to_json(const plan::DeviceDiff& diff);

// "acme/acme-ant-r1"
std::string device_path(const plan::DeviceDiff& diff);

} // namespace vpnaas::cli
