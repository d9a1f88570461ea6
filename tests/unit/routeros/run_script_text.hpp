#pragma once

#include <vpnaas/routeros/reader.hpp>
#include <vpnaas/routeros/simulator.hpp>

#include <doctest/doctest.h>

#include <string>

namespace vpnaas::test {

// Reads `text` as a RouterOS script, which must read (the calling test
// fails otherwise), and runs it on `router`.
inline Result<routeros::RunStats> run_script_text(const std::string& text, routeros::Router& router,
                                                  const routeros::RunLimits& limits = {}) {
  auto read = routeros::read_script(text);
  REQUIRE(read.ok());
  return routeros::run_script(read.commands, router, limits);
}

} // namespace vpnaas::test
