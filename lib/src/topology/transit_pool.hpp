#pragma once

#include <vpnaas/core/source_location.hpp>
#include <vpnaas/net/ipv4.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Building blocks of allocate(): private to lib/src/topology.
namespace vpnaas::topology::detail {

// An address range no transit subnet may touch, and what it is in words.
struct ReservedRange {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  std::string what; // "the LAN 192.168.10.0/24 of site acme/brussels"
};

// Many ranges (every LAN of a large inventory) queried once per tunnel, so a
// lookup is a binary search rather than a scan.
class ReservedRanges {
public:
  void add(const Ipv4Prefix& prefix, std::string what);
  // Must be called after the last add() and before any query.
  void finish();

  // A range sharing an address with [first, last], or nullptr when none does.
  const ReservedRange* overlapping(std::uint32_t first, std::uint32_t last) const;
  const std::vector<ReservedRange>& ranges() const { return m_ranges; }

private:
  std::vector<ReservedRange> m_ranges;    // sorted by first address
  std::vector<std::size_t> m_widest_upto; // [i]: index in 0..i with the largest `last`
};

// One pool of /30 slots. Taken slots live in a bitmap that grows only as far
// as the highest slot used, so a huge pool costs nothing until it is used.
class TransitPool {
public:
  TransitPool(Ipv4Prefix prefix, SourceLocation where, std::string label,
              std::vector<const ReservedRanges*> reserved);

  const Ipv4Prefix& prefix() const { return m_prefix; }
  const SourceLocation& where() const { return m_where; }
  const std::string& label() const { return m_label; }
  std::uint32_t slot_count() const { return m_slot_count; }

  // Why `subnet` cannot be a transit subnet of this pool (not a /30, outside
  // it, overlapping a reserved range), or nullopt when it can. Taken slots are
  // not considered: see is_taken().
  std::optional<std::string> unusable_reason(const Ipv4Prefix& subnet) const;
  bool is_taken(const Ipv4Prefix& subnet) const;
  // Marks a /30 inside this pool as used.
  void take(const Ipv4Prefix& subnet);
  // Takes and returns the lowest free usable /30, or nullopt when the pool is full.
  std::optional<Ipv4Prefix> take_lowest_free();

  // Slots that overlap no reserved range: what the pool can hold at most.
  std::uint64_t usable_slot_count() const;

private:
  std::uint32_t slot_of(const Ipv4Prefix& subnet) const;
  bool slot_taken(std::uint32_t slot) const;
  void set_slot(std::uint32_t slot);
  const ReservedRange* reserved_overlap(std::uint32_t first, std::uint32_t last) const;

  Ipv4Prefix m_prefix;
  SourceLocation m_where;
  std::string m_label;
  std::vector<const ReservedRanges*> m_reserved;
  std::uint32_t m_slot_count = 0;
  std::uint32_t m_cursor = 0; // every slot below it is taken or reserved
  std::vector<std::uint64_t> m_bits;
};

} // namespace vpnaas::topology::detail
