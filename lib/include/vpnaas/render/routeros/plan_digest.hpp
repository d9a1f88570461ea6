#pragma once

#include <vpnaas/render/routeros/plan.hpp>

#include <string>

namespace vpnaas::render::routeros {

// SHA-256 (64 hex digits) of everything a device's script is written from,
// except the header's inventory revision: two plans with the same digest give
// the same script but for that line. A partial `mesh generate` compares it
// with the digest recorded for a file it would keep, to find the scripts an
// inventory change touched. Every field of DevicePlan, PlanMenu, PlanItem and
// Prop is hashed; a field added there must be added here.
std::string plan_digest(const DevicePlan& plan);

} // namespace vpnaas::render::routeros
