// libFuzzer target for the RouterOS script reader and, for what it reads
// without error, the simulator `mesh check` runs every script on. The input
// is the script text as is.
//
// The simulator runs with a work limit ten times what the largest seed (a
// generated script of a three-tunnel router) needs, so that inputs which
// loop or grow values stop in milliseconds; the limit itself is part of what
// is tested.

#include <vpnaas/routeros/reader.hpp>
#include <vpnaas/routeros/simulator.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto read = vpnaas::routeros::read_script(text);
  for (const auto& e : read.errors) {
    (void)vpnaas::routeros::to_string(e.pos);
  }
  if (!read.ok()) {
    return 0;
  }
  vpnaas::routeros::Router router;
  vpnaas::routeros::RunLimits limits;
  limits.max_work = 100'000;
  auto run = vpnaas::routeros::run_script(read.commands, router, limits);
  (void)router.dump();
  (void)run;
  return 0;
}
