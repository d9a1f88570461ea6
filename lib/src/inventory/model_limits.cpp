#include <vpnaas/inventory/model_limits.hpp>

#include <array>
#include <cctype>

namespace vpnaas::inventory {
namespace {

// Estimates (README, "Scale limits"): each tunnel costs an IKE SA, two ESP
// SAs, a GRE interface, an OSPF adjacency with 1 s hellos and a few firewall
// and address-list entries. Small single- or dual-core MIPS/ARM routers with
// 64-256 MB begin to lag on rekeys and OSPF floods at a few dozen; mid-range
// quad-core ARM routers with hardware AES handle about a hundred; CCRs and CHR
// several hundred.
constexpr ModelClass kSmall{"small office router (hAP, hEX, RB750, RB9xx, mAP)", 25};
constexpr ModelClass kMid{"mid-range router (RB4011, RB5009, RB1100, L009)", 100};
constexpr ModelClass kLarge{"core router (CCR, CHR)", 500};

struct Prefix {
  std::string_view text;
  const ModelClass* cls;
};

// Longest prefixes first where one is a prefix of another.
constexpr std::array<Prefix, 13> kPrefixes{{
    {"hap", &kSmall},
    {"hex", &kSmall},
    {"rb750", &kSmall},
    {"rb760", &kSmall},
    {"rb9", &kSmall},
    {"rb2011", &kSmall},
    {"map", &kSmall},
    {"rb4011", &kMid},
    {"rb5009", &kMid},
    {"rb1100", &kMid},
    {"l009", &kMid},
    {"ccr", &kLarge},
    {"chr", &kLarge},
}};

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

} // namespace

const ModelClass* model_class(std::string_view model) {
  for (const auto& p : kPrefixes) {
    if (starts_with_ignoring_case(model, p.text)) {
      return p.cls;
    }
  }
  return nullptr;
}

} // namespace vpnaas::inventory
