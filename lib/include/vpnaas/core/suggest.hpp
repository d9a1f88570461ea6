#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas {

// Edit distance (insertions, deletions, substitutions, adjacent swaps).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely
// typo (distance at most a third of the word's length, at least 1);
// nullopt otherwise. Ties go to the earlier candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

} // namespace vpnaas
