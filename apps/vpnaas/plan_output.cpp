#include "plan_output.hpp"

#include <vpnaas/render/routeros/quote.hpp>

#include <fmt/format.h>

namespace vpnaas::cli {
namespace {

using Kind = plan::ItemChange::Kind;
using Status = plan::DeviceDiff::Status;

// Values made only of these print as they are; anything else (spaces,
// quotes, control bytes from a hostile inventory) is shown quoted and escaped
// as RouterOS would read it, so the diff never garbles a terminal.
bool plain(const std::string& value) {
  if (value.empty()) {
    return false;
  }
  for (char c : value) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_' || c == ':' || c == '/' || c == ',' ||
                    c == '@' || c == '+' || c == '~';
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::string shown(const std::string& value) {
  return plain(value) ? value : render::routeros::quote(value);
}

std::string assignment(const plan::PropChange& p, bool after) {
  const auto& value = after ? p.after : p.before;
  if (p.flag) {
    return p.name;
  }
  if (p.secret) {
    return p.name + "=" + plan::kHiddenValue;
  }
  return p.name + "=" + shown(value.value_or(""));
}

std::string change_text(const plan::PropChange& p) {
  if (p.secret) {
    return fmt::format("{}: changed {}", p.name, plan::kHiddenValue);
  }
  if (p.flag) {
    return fmt::format("{}: {}", p.name, p.after ? "set" : "cleared");
  }
  return fmt::format("{}: {} -> {}", p.name, p.before ? shown(*p.before) : "(unset)",
                     p.after ? shown(*p.after) : "(unset)");
}

const char* marker(Kind kind) {
  switch (kind) {
  case Kind::added:
    return "+";
  case Kind::removed:
    return "-";
  case Kind::changed:
    return "~";
  }
  return "?";
}

const char* color_of(Kind kind) {
  switch (kind) {
  case Kind::added:
    return "\033[32m";
  case Kind::removed:
    return "\033[31m";
  case Kind::changed:
    return "\033[33m";
  }
  return "";
}

const char* status_name(Status status) {
  switch (status) {
  case Status::unchanged:
    return "unchanged";
  case Status::changed:
    return "changed";
  case Status::added:
    return "added";
  case Status::removed:
    return "removed";
  }
  return "unchanged";
}

const char* kind_name(Kind kind) {
  switch (kind) {
  case Kind::added:
    return "added";
  case Kind::changed:
    return "changed";
  case Kind::removed:
    return "removed";
  }
  return "changed";
}

std::string plural(std::size_t n, const char* word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

} // namespace

std::string device_path(const plan::DeviceDiff& diff) {
  return diff.group + "/" + diff.device;
}

PlanTextPrinter::PlanTextPrinter(std::FILE* out, PlanTextOptions options)
    : m_out(out), m_options(options) {}

void PlanTextPrinter::device(const plan::DeviceDiff& diff) {
  ++m_devices[static_cast<int>(diff.status)];
  if (diff.status == Status::unchanged) {
    m_unchanged.push_back(device_path(diff));
    return;
  }
  const std::size_t added = diff.count(Kind::added);
  const std::size_t changed = diff.count(Kind::changed);
  const std::size_t removed = diff.count(Kind::removed);
  m_items[static_cast<int>(Kind::added)] += added;
  m_items[static_cast<int>(Kind::changed)] += changed;
  m_items[static_cast<int>(Kind::removed)] += removed;

  const char* what = diff.cluster_router ? "cluster router" : "site router";
  std::string title;
  switch (diff.status) {
  case Status::added:
    title = fmt::format("+ {} (new {}, RouterOS {}): {} to add", device_path(diff), what,
                        diff.routeros, added);
    break;
  case Status::removed:
    title = fmt::format("- {} ({} no longer in the inventory): apply does not reach it, so its {} "
                        "stay until removed on the router",
                        device_path(diff), what, plural(removed, "managed item"));
    break;
  default:
    title = fmt::format("~ {} ({}, RouterOS {}): {} to add, {} to change, {} to remove",
                        device_path(diff), what, diff.routeros, added, changed, removed);
    break;
  }
  fmt::print(m_out, "{}\n", title);
  if (m_options.summary_only) {
    return;
  }
  for (const auto& item : diff.items) {
    const char* on = m_options.color ? color_of(item.kind) : "";
    const char* off = m_options.color ? "\033[0m" : "";
    fmt::print(m_out, "    {}{} {} {}{}\n", on, marker(item.kind), item.menu, item.tag, off);
    if (item.kind == Kind::changed) {
      for (const auto& p : item.props) {
        fmt::print(m_out, "        {}\n", change_text(p));
      }
      continue;
    }
    std::string line;
    for (const auto& p : item.props) {
      line += (line.empty() ? "" : " ") + assignment(p, item.kind == Kind::added);
    }
    fmt::print(m_out, "        {}\n", line);
  }
}

void PlanTextPrinter::finish(const std::string& base, const std::string& head) {
  const std::size_t unchanged = m_devices[static_cast<int>(Status::unchanged)];
  const std::size_t changed = m_devices[static_cast<int>(Status::changed)];
  const std::size_t added = m_devices[static_cast<int>(Status::added)];
  const std::size_t removed = m_devices[static_cast<int>(Status::removed)];
  if (!m_unchanged.empty()) {
    std::string names;
    for (const auto& name : m_unchanged) {
      names += (names.empty() ? "" : ", ") + name;
    }
    fmt::print(m_out, "= unchanged ({}): {}\n", unchanged, names);
  }
  if (changed + added + removed == 0) {
    fmt::print(m_out, "no changes from {} to {}: {} up to date\n", base, head,
               plural(unchanged, "router"));
    return;
  }
  fmt::print(m_out,
             "plan from {} to {}: {} to update, {} new, {} no longer in the inventory, {} "
             "unchanged; {} to add, {} to change, {} to remove\n",
             base, head, plural(changed, "router"), added, removed, unchanged,
             plural(m_items[static_cast<int>(Kind::added)], "item"),
             m_items[static_cast<int>(Kind::changed)], m_items[static_cast<int>(Kind::removed)]);
}

nlohmann::json to_json(const plan::DeviceDiff& diff) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : diff.items) {
    nlohmann::json props = nlohmann::json::array();
    for (const auto& p : item.props) {
      nlohmann::json prop{{"name", p.name}};
      prop["before"] = p.before ? nlohmann::json(*p.before) : nlohmann::json();
      prop["after"] = p.after ? nlohmann::json(*p.after) : nlohmann::json();
      if (p.secret) {
        prop["secret"] = true;
      }
      if (p.flag) {
        prop["flag"] = true;
      }
      props.push_back(std::move(prop));
    }
    items.push_back({{"kind", kind_name(item.kind)},
                     {"menu", item.menu},
                     {"tag", item.tag},
                     {"props", std::move(props)}});
  }
  return {{"device", diff.device},
          {"group", diff.group},
          {"cluster_router", diff.cluster_router},
          {"routeros", diff.routeros},
          {"status", status_name(diff.status)},
          {"added", diff.count(Kind::added)},
          {"changed", diff.count(Kind::changed)},
          {"removed", diff.count(Kind::removed)},
          {"items", std::move(items)}};
}

} // namespace vpnaas::cli
