#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/routeros/schema.hpp>
#include <vpnaas/routeros/script.hpp>
#include <vpnaas/routeros/version.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vpnaas::routeros {

// One configuration entry of a menu ("/interface gre"). Flags written bare
// (`passive`) are stored as "yes".
struct Item {
  std::uint64_t id = 0;
  std::map<std::string, std::string> props;
  bool dynamic = false;
};

// An in-memory router configuration: ordered items per menu, keyed by the
// menu path as menu_path() prints it, on a given RouterOS release: scripts
// run on it are checked against that release's schema.
class Router {
public:
  // A RouterOS 7 router starts with the builtin VRF `main` (interfaces=all),
  // as MikroTik's VRF page prints it.
  explicit Router(Version version = oldest_supported(7));
  const Version& version() const { return m_version; }

  const std::vector<Item>& items(const std::string& menu) const;
  std::vector<Item>& items(const std::string& menu) { return m_menus[menu]; }
  const std::map<std::string, std::vector<Item>>& menus() const { return m_menus; }

  // Appends an item (used by tests to seed what a user configured by hand).
  std::uint64_t add(const std::string& menu, std::map<std::string, std::string> props,
                    bool dynamic = false);
  std::uint64_t next_id() { return ++m_last_id; }

  // Canonical text of the whole configuration: one line per item with its
  // properties sorted, menus sorted. Item order is kept for menus where it
  // matters to RouterOS (firewall and routing filters) and sorted elsewhere,
  // so two routers that differ only in internal ids or harmless order dump
  // the same.
  std::string dump() const;

private:
  std::map<std::string, std::vector<Item>> m_menus;
  std::uint64_t m_last_id = 0;
  Version m_version;
};

// What a run changed: items added, items whose properties changed, items
// removed, and one line per change for messages.
struct RunStats {
  std::size_t added = 0;
  std::size_t changed = 0;
  std::size_t removed = 0;
  std::vector<std::string> log;
  // What each `:put` printed, in order (`:log` prints nothing on the console).
  std::vector<std::string> printed;
  // The run's work, in the units of RunLimits: what a router's CPU spends,
  // within a constant factor.
  std::uint64_t work = 0;
  std::size_t total() const { return added + changed + removed; }
};

// Bounds on one run. Script values can grow exponentially (an array or string
// concatenated with itself in a loop) and a find scans every item, so a
// hostile or broken script could otherwise take all memory and time. Work is
// counted in units: one per command and expression node run, one per item
// scanned, one per byte or element a value copy or a regex match handles;
// memory is bounded with it because every byte held was once copied.
struct RunLimits {
  // Seconds of work and at most about 1.3 GB; a router of a 200-site full
  // mesh needs 850,000 units, one of a 4096-site mesh about a third of this.
  std::uint64_t max_work = 1'000'000'000;
};

// Executes a script read by read_script on `router`, the way RouterOS's
// /import would for the subset vpnaas emits: menu `find [where ...]`, `add`
// (with place-before), `set` (with !unset), `remove`, `get`, `move`; `:if`, `:foreach`,
// `:local`, `:set` (also on array keys), `:len`, `:typeof`, `:toarray`,
// `{...}` blocks, `->`, comparisons and and/or/not. Like RouterOS, each
// top-level line has its own scope, undeclared variables are errors, names
// must be unique where RouterOS requires it, references (peer=, profile=,
// interface=, area=...) must name existing items, and an item still
// referenced cannot be removed. Like RouterOS, it takes only the menus and
// properties the router's release has (Schema::builtin()): an unknown menu,
// an unknown property, writing a read-only one or a value outside a
// property's enumeration stops the run at that command. A `set` that writes the values an item
// already has is not a change. Fails with invalid_input at the first command
// RouterOS would reject (or that is outside the subset), naming its position;
// the router keeps what ran before, as on a real device. Past `limits` the run
// fails the same way. Outside the subset too: arrays nested more than 32
// deep, and regular expressions longer than 256 characters or with interval
// expressions ({n,m}), whose expansion makes matching arbitrarily slow.
Result<RunStats> run_script(const std::vector<Command>& commands, Router& router,
                            const RunLimits& limits = {});

} // namespace vpnaas::routeros
