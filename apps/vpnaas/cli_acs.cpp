#include "cmd_acs.hpp"
#include "commands.hpp"
#include "option_flags.hpp"

namespace vpnaas::cli {

void set_acs_command(CLI::App& app, Context& context) {
  CLI::App* acs = app.add_subcommand(
      "acs", "The ACS that CWMP (TR-069) routers call home to: their credentials");
  acs->require_subcommand(1);

  auto options = std::make_shared<AcsCredentialsOptions>();
  CLI::App* credentials = acs->add_subcommand(
      "credentials",
      "Print the login a CPE uses on the ACS (username = serial number, password derived from "
      "the master key) and the one the ACS uses for connection requests to it. Prints secrets: "
      "these two passwords of this one serial, only when run; nothing is stored");
  credentials->add_option("--serial", options->serial, "The CPE's serial number, as in its Inform")
      ->required();
  add_key_file_option(credentials, options->key_file);
  add_inventory_folder_option(credentials, options->inventory);
  add_format_option(credentials, options->format);
  add_help_footer(credentials,
                  "0 printed, 2 usage (also: not a serial number), 4 no master key or a "
                  "malformed one",
                  {"vpnaas acs credentials --serial HCQ08A2VJ7P",
                   "vpnaas acs credentials --serial HCQ08A2VJ7P --format json"});
  credentials->callback([options, &context] { context.exit_code = run_acs_credentials(*options); });
}

} // namespace vpnaas::cli
