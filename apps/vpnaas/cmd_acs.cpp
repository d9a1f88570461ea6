#include "cmd_acs.hpp"

#include <vpnaas/acs/session/server.hpp>
#include <vpnaas/secrets/cpe_credentials.hpp>
#include <vpnaas/workspace/inventory_path.hpp>

#include <fmt/format.h>

#include <csignal>
#include <filesystem>
#include <malloc.h>
#include <mutex>
#include <nlohmann/json.hpp>
#include <pthread.h>
#include <set>

#include "exit_codes.hpp"
#include "options.hpp"

namespace vpnaas::cli {

int run_acs_credentials(const AcsCredentialsOptions& options) {
  const bool json = options.format == "json";
  if (options.serial.empty() && !options.management_token) {
    return fail(make_error(ErrorCode::usage, "acs credentials: whose?",
                           "give --serial SERIAL for a CPE's logins, or --management-token"),
                json);
  }
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
  if (options.management_token) {
    auto token = secrets::derive_acs_management_token(*key);
    if (!token) {
      return fail(token.error(), json);
    }
    if (json) {
      print_json(
          nlohmann::json{{"ok", true}, {"key", key->origin()}, {"management_token", *token}});
    } else {
      // The token alone on stdout, so that $(...) can take it.
      fmt::print("{}\n", *token);
    }
    return kExitOk;
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

namespace {

// One whole line per write, whatever thread logs it.
void log_line(const std::string& line) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  fmt::print(stderr, "{}\n", line);
  std::fflush(stderr);
}

// The inventory as the server takes it; its problems printed.
Result<acs::session::ServedInventory> load_served(const InventoryPath& path) {
  Diagnostics diags;
  auto served = acs::session::load_served_inventory(path.path, diags);
  if (!served) {
    print_diagnostics(diags);
  }
  return served;
}

// The port of "https://acs.example.net:7547/", or nullopt.
std::optional<std::uint16_t> url_port(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) {
    return std::nullopt;
  }
  std::string host = url.substr(scheme + 3);
  host = host.substr(0, host.find('/'));
  const auto colon = host.rfind(':');
  if (colon == std::string::npos || host.back() == ']') {
    return std::nullopt;
  }
  std::string address;
  std::uint16_t port = 0;
  if (!acs::session::parse_listen(host, address, port)) {
    return std::nullopt;
  }
  return port;
}

} // namespace

int run_acs_serve(const AcsServeOptions& options) {
  const OpenRequest opening = open_request(options.inventory);
  const InventoryPath path = resolve_inventory_path(opening.inventory, opening.bundled);
  acs::session::ServeConfig config;
  auto served = load_served(path);
  if (!served) {
    return fail(served.error(), false);
  }
  const std::optional<inventory::AcsSettings> acs_settings = served->acs;
  config.bindings = std::move(served->bindings);
  config.device_names = std::move(served->device_names);
  if (options.listen) {
    if (auto parsed = acs::session::parse_listen(*options.listen, config.address, config.port);
        !parsed) {
      return fail(parsed.error(), false);
    }
  } else if (acs_settings) {
    // The inventory's management.acs URL is what routers are told to call:
    // listen on its port, and name it in file links.
    config.port = url_port(acs_settings->url).value_or(config.port);
  }
  if (options.public_url) {
    config.public_url = *options.public_url;
  } else if (acs_settings && !options.listen) {
    config.public_url = acs_settings->url;
  }
  config.tls_cert = options.tls_cert.value_or("");
  config.tls_key = options.tls_key.value_or("");
  config.data_dir =
      options.data ? std::filesystem::path(*options.data) : acs::session::default_data_dir();
  config.insecure_no_cpe_auth = options.insecure_no_cpe_auth;
  if (options.management_listen) {
    std::uint16_t port = 0;
    if (auto parsed =
            acs::session::parse_listen(*options.management_listen, config.management_address, port);
        !parsed) {
      return fail(parsed.error(), false);
    }
    config.management_port = port;
  }
  config.management_tls_cert = options.management_tls_cert.value_or("");
  config.management_tls_key = options.management_tls_key.value_or("");
  config.threads = options.threads;
  config.max_sessions = options.max_sessions;
  config.log = log_line;
  // Connection requests and the management token need the key too: a lab
  // server without CPE authentication still uses it when there is one.
  if (!options.insecure_no_cpe_auth || options.management_listen) {
    std::optional<std::filesystem::path> created;
    auto key = master_key_for(path, options.key_file, &created);
    if (!key) {
      return fail(key.error(), false);
    }
    config.key = std::move(*key);
  }

  // glibc hands the free top of each thread's heap back to the kernel
  // (madvise) once 128 KiB are free there, and every hand-back flushes the
  // TLBs of the other cores. Between the requests of a session that happens
  // again and again: scripts/bench-acs.sh measured 650 us of server CPU per
  // request with it and 380 us with these (README, Benchmarks). The heap
  // stays near its high-water mark instead, far below the RSS goal.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 16 << 20);

  // Blocked before the server's threads start, so that they inherit the mask
  // and only this thread's sigwait sees the signals.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::size_t bound_serials = config.bindings.size();
  const std::filesystem::path config_data_dir = config.data_dir;
  const bool insecure = config.insecure_no_cpe_auth;
  auto server = acs::session::AcsServer::start(std::move(config));
  if (!server) {
    return fail(server.error(), false);
  }
  log_line(fmt::format("vpnaas acs serve: listening on {} (CWMP), store {}, {} serial(s) bound by "
                       "the inventory {}, {} task(s) recovered",
                       (*server)->url(), (*server)->database().string(), bound_serials,
                       path.path.string(), (*server)->recovered()));
  log_line(fmt::format("management API on {}{}{} (vpnaas device ... --acs {})",
                       (*server)->management_socket().string(),
                       (*server)->management_url().empty() ? "" : " and ",
                       (*server)->management_url(), config_data_dir.string()));
  if (insecure) {
    log_line("WARNING: --insecure-no-cpe-auth: any client can claim any serial number; for labs "
             "only, never on a network routers or attackers can reach");
  }
  for (;;) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) {
      continue;
    }
    if (signal == SIGHUP) {
      auto reloaded = load_served(path);
      if (!reloaded) {
        log_line("SIGHUP: inventory not reloaded: " + to_string(reloaded.error()));
        continue;
      }
      const std::size_t count = reloaded->bindings.size();
      (*server)->reload(std::move(*reloaded));
      log_line(fmt::format("SIGHUP: inventory {} reloaded, {} serial(s) bound", path.path.string(),
                           count));
      continue;
    }
    log_line(fmt::format("{}: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT"));
    (*server)->stop();
    log_line("stopped");
    return kExitOk;
  }
}

} // namespace vpnaas::cli
