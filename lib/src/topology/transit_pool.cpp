#include "transit_pool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <utility>

namespace vpnaas::topology::detail {
namespace {

constexpr int kTransitLength = 30;
constexpr std::uint32_t kSlotSize = 4; // addresses in a /30
constexpr std::uint32_t kWordBits = 64;

} // namespace

void ReservedRanges::add(const Ipv4Prefix& prefix, std::string what) {
  m_ranges.push_back(
      ReservedRange{prefix.network().value(), prefix.last().value(), std::move(what)});
}

void ReservedRanges::finish() {
  std::stable_sort(
      m_ranges.begin(), m_ranges.end(),
      [](const ReservedRange& x, const ReservedRange& y) { return x.first < y.first; });
  m_widest_upto.resize(m_ranges.size());
  for (std::size_t i = 0; i < m_ranges.size(); ++i) {
    const bool wider = i == 0 || m_ranges[i].last > m_ranges[m_widest_upto[i - 1]].last;
    m_widest_upto[i] = wider ? i : m_widest_upto[i - 1];
  }
}

const ReservedRange* ReservedRanges::overlapping(std::uint32_t first, std::uint32_t last) const {
  // Every range starting at or before `last` overlaps exactly when it ends at
  // or after `first`; the one ending furthest among them decides.
  auto after =
      std::upper_bound(m_ranges.begin(), m_ranges.end(), last,
                       [](std::uint32_t value, const ReservedRange& r) { return value < r.first; });
  if (after == m_ranges.begin()) {
    return nullptr;
  }
  const auto k = static_cast<std::size_t>(after - m_ranges.begin()) - 1;
  const ReservedRange& widest = m_ranges[m_widest_upto[k]];
  return widest.last >= first ? &widest : nullptr;
}

TransitPool::TransitPool(Ipv4Prefix prefix, SourceLocation where, std::string label,
                         std::vector<const ReservedRanges*> reserved)
    : m_prefix(prefix), m_where(std::move(where)), m_label(std::move(label)),
      m_reserved(std::move(reserved)),
      m_slot_count(prefix.length() <= kTransitLength
                       ? std::uint32_t{1} << (kTransitLength - prefix.length())
                       : 0) {}

std::optional<std::string> TransitPool::unusable_reason(const Ipv4Prefix& subnet) const {
  if (subnet.length() != kTransitLength) {
    return fmt::format("{} is not a /30", subnet.to_string());
  }
  if (m_slot_count == 0 || !m_prefix.contains(subnet)) {
    return fmt::format("{} is outside {}", subnet.to_string(), m_label);
  }
  if (const auto* r = reserved_overlap(subnet.network().value(), subnet.last().value())) {
    return fmt::format("{} overlaps {}", subnet.to_string(), r->what);
  }
  return std::nullopt;
}

bool TransitPool::is_taken(const Ipv4Prefix& subnet) const {
  return slot_taken(slot_of(subnet));
}

void TransitPool::take(const Ipv4Prefix& subnet) {
  set_slot(slot_of(subnet));
}

std::optional<Ipv4Prefix> TransitPool::take_lowest_free() {
  const std::uint32_t base = m_prefix.network().value();
  while (m_cursor < m_slot_count) {
    const std::size_t word = m_cursor / kWordBits;
    if (word < m_bits.size()) {
      // Skip a run of taken slots a word at a time rather than bit by bit.
      const int run = std::countr_one(m_bits[word] >> (m_cursor % kWordBits));
      if (run > 0) {
        m_cursor += static_cast<std::uint32_t>(run);
        continue;
      }
    }
    const std::uint32_t first = base + m_cursor * kSlotSize;
    if (const auto* r = reserved_overlap(first, first + kSlotSize - 1)) {
      const std::uint64_t next = (std::uint64_t{r->last} - base) / kSlotSize + 1;
      m_cursor = static_cast<std::uint32_t>(std::min<std::uint64_t>(next, m_slot_count));
      continue;
    }
    set_slot(m_cursor);
    return Ipv4Prefix(Ipv4Address(first), kTransitLength);
  }
  return std::nullopt;
}

std::uint64_t TransitPool::usable_slot_count() const {
  const std::uint32_t base = m_prefix.network().value();
  const std::uint32_t top = m_prefix.last().value();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> blocked; // slot ranges, inclusive
  for (const ReservedRanges* list : m_reserved) {
    for (const ReservedRange& r : list->ranges()) {
      if (m_slot_count == 0 || r.last < base || r.first > top) {
        continue;
      }
      blocked.emplace_back((std::max(r.first, base) - base) / kSlotSize,
                           (std::min(r.last, top) - base) / kSlotSize);
    }
  }
  std::sort(blocked.begin(), blocked.end());
  std::uint64_t count = 0;
  std::uint64_t next_uncounted = 0;
  for (const auto& [from, to] : blocked) {
    const std::uint64_t start = std::max<std::uint64_t>(from, next_uncounted);
    if (to >= start) {
      count += to - start + 1;
      next_uncounted = std::uint64_t{to} + 1;
    }
  }
  return m_slot_count - count;
}

std::uint32_t TransitPool::slot_of(const Ipv4Prefix& subnet) const {
  return (subnet.network().value() - m_prefix.network().value()) / kSlotSize;
}

bool TransitPool::slot_taken(std::uint32_t slot) const {
  const std::size_t word = slot / kWordBits;
  return word < m_bits.size() && ((m_bits[word] >> (slot % kWordBits)) & 1u) != 0;
}

void TransitPool::set_slot(std::uint32_t slot) {
  const std::size_t word = slot / kWordBits;
  if (word >= m_bits.size()) {
    m_bits.resize(word + 1, 0);
  }
  m_bits[word] |= std::uint64_t{1} << (slot % kWordBits);
}

const ReservedRange* TransitPool::reserved_overlap(std::uint32_t first, std::uint32_t last) const {
  for (const ReservedRanges* list : m_reserved) {
    if (const auto* r = list->overlapping(first, last)) {
      return r;
    }
  }
  return nullptr;
}

} // namespace vpnaas::topology::detail
