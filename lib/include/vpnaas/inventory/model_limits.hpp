#pragma once

#include <cstddef>
#include <string_view>

namespace vpnaas::inventory {

// A class of router hardware and how many GRE-over-IPsec tunnels vpnaas
// lets one router of it hold before `inventory validate` warns. MikroTik
// publishes no tunnel limit per model: the figures are estimates from the
// class's CPU and memory (README, "Scale limits"), meant to catch a full
// mesh that grew past what the hardware handles, not to certify a number.
struct ModelClass {
  const char* name;  // "small office router"
  std::size_t limit; // tunnels per router
};

// The class of a device's `model:` (matched by its product-code prefix,
// ignoring case), or nullptr for an unknown or empty model, which keeps the
// general kTunnelWarningThreshold.
const ModelClass* model_class(std::string_view model);

} // namespace vpnaas::inventory
