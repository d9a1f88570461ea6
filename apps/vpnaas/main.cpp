#include <vpnaas/version.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <string_view>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "options.hpp"

namespace {

// Whether the command line asks for JSON, read from the words themselves:
// when parsing fails, the --format option may never have been stored.
bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--") {
      break;
    }
    if (word == "--format=json" ||
        (word == "--format" && i + 1 < argc && std::string_view(argv[i + 1]) == "json")) {
      return true;
    }
  }
  return false;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"vpnaas: full-mesh GRE-over-IPsec VPNs for MikroTik routers, from a git-kept "
               "inventory"};
  app.set_version_flag("--version", fmt::format("vpnaas {}", vpnaas::kVersion));
  app.require_subcommand(1);
  app.fallthrough();

  vpnaas::cli::Context context;
  vpnaas::cli::register_commands(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (wants_json(argc, argv)) {
      // Scripts get one JSON document on every outcome, usage errors included.
      return vpnaas::cli::fail(
          vpnaas::make_error(vpnaas::ErrorCode::usage, e.what(), "run the command with --help"),
          true);
    }
    app.exit(e);
    return vpnaas::cli::kExitUsage;
  } catch (const std::filesystem::filesystem_error& e) {
    // The library reports file errors itself; this is the net under a call
    // that was missed, so the user still gets the path and exit 4, not abort.
    fmt::print(stderr, "vpnaas: cannot use {}: {}\n", e.path1().string(), e.code().message());
    return vpnaas::cli::kExitRuntime;
  } catch (const std::exception& e) {
    fmt::print(stderr, "vpnaas: internal error: {}\n", e.what());
    return vpnaas::cli::kExitRuntime;
  }
  return context.exit_code;
}
