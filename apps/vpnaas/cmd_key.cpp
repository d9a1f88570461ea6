#include "cmd_key.hpp"

#include <vpnaas/secrets/master_key.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "exit_codes.hpp"
#include "options.hpp"

namespace vpnaas::cli {
namespace {

namespace fs = std::filesystem;

// The key source the inventory commands would use (workspace's one answer).
secrets::KeySource key_source(const KeyOptions& options) {
  return key_source_for(open_request(options.inventory),
                        options.key_file.empty() ? std::nullopt
                                                 : std::optional<std::string>(options.key_file));
}

fs::path chosen_key_file(const KeyOptions& options) {
  auto source = key_source(options);
  return source.key_file ? *source.key_file : source.default_key_file;
}

const char* source_name(secrets::KeyOrigin origin) {
  switch (origin) {
  case secrets::KeyOrigin::key_file:
    return "key-file";
  case secrets::KeyOrigin::environment:
    return "environment";
  case secrets::KeyOrigin::default_file:
    return "default-file";
  }
  return "default-file";
}

std::string describe(const secrets::KeyLocation& location) {
  using secrets::KeyOrigin;
  if (location.origin == KeyOrigin::environment) {
    return fmt::format("environment variable {} (set; no key file is used)",
                       secrets::kMasterKeyEnv);
  }
  std::string kind = location.origin == KeyOrigin::key_file ? "--key-file" : "default key file";
  if (location.exists) {
    return fmt::format("{} ({}, exists)", location.path.string(), kind);
  }
  std::string create =
      location.origin == KeyOrigin::key_file
          ? fmt::format("vpnaas key generate --key-file {}", location.path.string())
          : std::string("vpnaas key generate");
  return fmt::format("{} ({}, does not exist; create it with `{}`)", location.path.string(), kind,
                     create);
}

} // namespace

int run_generate(const KeyOptions& options) {
  fs::path path = chosen_key_file(options);
  if (Status written = secrets::generate_key_file(path, options.force); !written) {
    return fail(written.error(), options.format == "json");
  }
  // A key the commands will not read is worth saying so.
  const bool overridden =
      options.key_file.empty() &&
      secrets::locate_master_key(key_source(options)).origin == secrets::KeyOrigin::environment;
  if (options.format == "json") {
    print_json(nlohmann::json{
        {"ok", true}, {"path", path.string()}, {"mode", "0600"}, {"used", !overridden}});
  } else {
    fmt::print("Wrote a new master key to {} (mode 0600).\n"
               "Every pre-shared key is derived from it: keep a backup outside the repository.\n",
               path.string());
    if (overridden) {
      fmt::print(stderr,
                 "vpnaas: note: {} is set, so commands use it and not this file; unset it to use "
                 "the file\n",
                 secrets::kMasterKeyEnv);
    }
  }
  return kExitOk;
}

int run_path(const KeyOptions& options) {
  secrets::KeyLocation location = secrets::locate_master_key(key_source(options));
  if (location.origin == secrets::KeyOrigin::default_file && location.path.empty()) {
    return fail(make_error(ErrorCode::missing_secret,
                           "there is no default key file: neither XDG_CONFIG_HOME nor HOME "
                           "is set",
                           "pass --key-file PATH or set VPNAAS_MASTER_KEY"),
                options.format == "json");
  }
  if (options.format == "json") {
    nlohmann::json document{{"source", source_name(location.origin)}, {"exists", location.exists}};
    document["path"] =
        location.path.empty() ? nlohmann::json() : nlohmann::json(location.path.string());
    print_json(document);
  } else {
    fmt::print("{}\n", describe(location));
  }
  return kExitOk;
}

} // namespace vpnaas::cli
