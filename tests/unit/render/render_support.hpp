#pragma once

#include <vpnaas/render/device_model.hpp>
#include <vpnaas/routeros/simulator.hpp>
#include <vpnaas/workspace/workspace.hpp>

#include <map>
#include <memory>
#include <string>

namespace vpnaas::test {

// A fixed master key, so rendered bytes are comparable across runs.
secrets::MasterKey fixed_key();

// Opens an inventory folder without writing its lock; fails the test when it
// does not validate.
std::unique_ptr<Workspace> open_fixture(const std::filesystem::path& root);

// Opens in-memory inventory files (relative path -> YAML) the same way.
std::unique_ptr<Workspace> open_files(const std::map<std::string, std::string>& files);

// A customer "big" with `sites` full-mesh sites on a two-router cluster dc1,
// plus `extra` appended sites in customer files (for stability tests).
std::map<std::string, std::string> synthetic_inventory(int sites, int routeros = 7);

// Every device's script, keyed by "<group>/<device>.rsc".
std::map<std::string, std::string> render_all(const Workspace& ws,
                                              std::optional<std::string> revision = {});

// Reads and runs `script` on `router`; fails the test on any read or run error.
// An empty router of the release the script's header says it needs.
routeros::Router router_for(const std::string& script);
routeros::RunStats run_on(const std::string& script, routeros::Router& router);

} // namespace vpnaas::test
