#include "cmd_acs.hpp"

#include <vpnaas/secrets/cpe_credentials.hpp>
#include <vpnaas/workspace/inventory_path.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "exit_codes.hpp"
#include "options.hpp"

namespace vpnaas::cli {

int run_acs_credentials(const AcsCredentialsOptions& options) {
  const bool json = options.format == "json";
  std::optional<std::filesystem::path> created;
  const OpenRequest opening = open_request(options.inventory);
  auto key = master_key_for(resolve_inventory_path(opening.inventory, opening.bundled),
                            options.key_file, &created);
  if (!key) {
    return fail(key.error(), json);
  }
  if (created) {
    fmt::print(stderr, "created a new master key for the bundled inventory at {} (mode 0600)\n",
               created->string());
  }
  auto credentials = secrets::derive_cpe_credentials(*key, options.serial);
  if (!credentials) {
    return fail(credentials.error(), json);
  }
  const auto& acs = credentials->acs;
  const auto& request = credentials->connection_request;
  if (json) {
    print_json(nlohmann::json{
        {"ok", true},
        {"serial", options.serial},
        {"key", key->origin()},
        {"acs", {{"username", acs.username}, {"password", acs.password}}},
        {"connection_request", {{"username", request.username}, {"password", request.password}}}});
    return kExitOk;
  }
  // The syntax of the last line is MikroTik's tr069-client documentation's
  // (see ../shared/reference/cwmp.md); only the ACS URL is the user's.
  fmt::print("CPE {} (derived from the master key in {}; a secret: keep it out of tickets and "
             "logs)\n"
             "  CPE -> ACS login:            username {}  password {}\n"
             "  ACS -> CPE connection login: username {}  password {}\n"
             "On a RouterOS router (replace ACS-URL with your ACS's https:// URL):\n"
             "  /tr069-client set enabled=yes acs-url=ACS-URL username={} password={} "
             "periodic-inform-enabled=yes periodic-inform-interval=300\n",
             options.serial, key->origin(), acs.username, acs.password, request.username,
             request.password, acs.username, acs.password);
  return kExitOk;
}

} // namespace vpnaas::cli
