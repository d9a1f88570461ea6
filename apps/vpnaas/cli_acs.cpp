#include "cmd_acs.hpp"
#include "commands.hpp"
#include "option_flags.hpp"

namespace vpnaas::cli {

void set_acs_command(CLI::App& app, Context& context) {
  CLI::App* acs = app.add_subcommand(
      "acs", "The ACS that CWMP (TR-069) routers call home to: their credentials, the server");
  acs->require_subcommand(1);

  auto options = std::make_shared<AcsCredentialsOptions>();
  CLI::App* credentials = acs->add_subcommand(
      "credentials",
      "Print the login a CPE uses on the ACS (username = serial number, password derived from "
      "the master key) and the one the ACS uses for connection requests to it, or the management "
      "API's bearer token. Prints secrets: these two passwords of this one serial, or the token, "
      "only when run; nothing is stored");
  CLI::Option* serial = credentials->add_option("--serial", options->serial,
                                                "The CPE's serial number, as in its Inform");
  CLI::Option* token = credentials->add_flag(
      "--management-token", options->management_token,
      "Print the bearer token of `acs serve --management-listen` instead (for $VPNAAS_ACS_TOKEN)");
  serial->excludes(token);
  token->excludes(serial);
  add_key_file_option(credentials, options->key_file);
  add_inventory_folder_option(credentials, options->inventory);
  add_format_option(credentials, options->format);
  add_help_footer(credentials,
                  "0 printed, 2 usage (also: not a serial number), 4 no master key or a "
                  "malformed one",
                  {"vpnaas acs credentials --serial HCQ08A2VJ7P",
                   "vpnaas acs credentials --serial HCQ08A2VJ7P --format json",
                   "export VPNAAS_ACS_TOKEN=$(vpnaas acs credentials --management-token)"});
  credentials->callback([options, &context] { context.exit_code = run_acs_credentials(*options); });

  auto serve_options = std::make_shared<AcsServeOptions>();
  CLI::App* serve = acs->add_subcommand(
      "serve", "Run the ACS in the foreground: CWMP sessions over HTTP (Digest) or HTTPS (Basic), "
               "tasks in a SQLite store in the data dir, one log line per session on stderr. "
               "SIGTERM/SIGINT stop it, SIGHUP reloads the inventory's serial bindings");
  serve->add_option("--listen", serve_options->listen,
                    "ADDR:PORT to listen on (default 0.0.0.0 and the port of the inventory's "
                    "management.acs url, else 7547; port 0: any free one, logged)");
  serve->add_option("--tls-cert", serve_options->tls_cert, "PEM certificate chain: serve HTTPS");
  serve->add_option("--tls-key", serve_options->tls_key, "PEM private key of --tls-cert");
  serve->add_option(
      "--data", serve_options->data,
      "Data dir holding acs.sqlite (default $XDG_STATE_HOME/vpnaas/acs, created 0700)");
  serve->add_option("--public-url", serve_options->public_url,
                    "The URL routers reach this server at, for file links (default the inventory's "
                    "management.acs url, else the listener's)");
  serve->add_option("--management-listen", serve_options->management_listen,
                    "ADDR:PORT: serve the management API over TCP too (it is always on "
                    "DATA/acs.sock); clients need the bearer token of `vpnaas acs credentials "
                    "--management-token`");
  serve->add_option("--management-tls-cert", serve_options->management_tls_cert,
                    "PEM certificate chain: --management-listen speaks HTTPS");
  serve->add_option("--management-tls-key", serve_options->management_tls_key,
                    "PEM private key of --management-tls-cert");
  serve->add_flag("--insecure-no-cpe-auth", serve_options->insecure_no_cpe_auth,
                  "Labs only: take any Inform without credentials (logged loudly)");
  serve->add_option("--threads", serve_options->threads, "HTTP threads (default: one per core)");
  serve
      ->add_option("--max-sessions", serve_options->max_sessions,
                   "CWMP sessions open at once; an Inform past it gets 503 with a Retry-After of "
                   "2 to 6 seconds (default 1000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  add_key_file_option(serve, serve_options->key_file);
  add_inventory_folder_option(serve, serve_options->inventory);
  add_help_footer(
      serve,
      "0 stopped by SIGTERM/SIGINT, 1 the inventory does not load, 2 usage, 4 cannot listen, "
      "cannot open the data dir or no master key",
      {"vpnaas acs serve --listen 0.0.0.0:7547 --tls-cert acs.pem --tls-key acs.key",
       "vpnaas acs serve --listen 127.0.0.1:7547 --data /tmp/acs --insecure-no-cpe-auth"});
  serve->callback([serve_options, &context] { context.exit_code = run_acs_serve(*serve_options); });
}

} // namespace vpnaas::cli
