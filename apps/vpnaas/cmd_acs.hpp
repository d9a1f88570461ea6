#pragma once

// `vpnaas acs credentials`. The options CLI11 fills (cli_acs.cpp) and the
// function that runs the command with them, apart so that this part compiles
// without CLI11.

#include <optional>
#include <string>

#include "options.hpp"

namespace vpnaas::cli {

struct AcsCredentialsOptions {
  std::string serial;
  bool management_token = false; // print the management API's bearer token instead
  std::optional<std::string> key_file;
  std::string format = "text";
  InventoryOptions inventory; // whose master key
};

int run_acs_credentials(const AcsCredentialsOptions& options);

struct AcsServeOptions {
  std::optional<std::string> listen;   // ADDR:PORT
  std::optional<std::string> tls_cert; // with tls_key: HTTPS
  std::optional<std::string> tls_key;
  std::optional<std::string> data;              // the data dir
  std::optional<std::string> public_url;        // what CPEs reach it at, for file links
  std::optional<std::string> management_listen; // ADDR:PORT: the management API over TCP too
  std::optional<std::string> management_tls_cert;
  std::optional<std::string> management_tls_key;
  std::optional<std::string> key_file;
  bool insecure_no_cpe_auth = false;
  unsigned threads = 0;
  std::size_t max_sessions = 1000;
  InventoryOptions inventory; // serial bindings, management.acs, master key
};

// Runs the ACS in the foreground until SIGTERM or SIGINT (exit 0); SIGHUP
// reloads the inventory's serial bindings.
int run_acs_serve(const AcsServeOptions& options);

} // namespace vpnaas::cli
