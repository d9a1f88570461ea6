#pragma once

#include <CLI/CLI.hpp>

namespace vpnaas::cli {

// Shared between main() and the subcommands: each command's callback sets the
// process exit code here rather than calling exit(), so destructors run.
struct Context {
  int exit_code = 0;
};

// One function per command group, each in its own cmd_<group>.cpp.
void set_inventory_command(CLI::App& app, Context& context);
void set_key_command(CLI::App& app, Context& context);
void set_mesh_command(CLI::App& app, Context& context);
void set_device_command(CLI::App& app, Context& context);
void set_apply_command(CLI::App& app, Context& context);
void set_plan_command(CLI::App& app, Context& context);
void set_acs_command(CLI::App& app, Context& context);

inline void register_commands(CLI::App& app, Context& context) {
  set_inventory_command(app, context);
  set_key_command(app, context);
  set_mesh_command(app, context);
  set_device_command(app, context);
  set_plan_command(app, context);
  set_apply_command(app, context);
  set_acs_command(app, context);
}

} // namespace vpnaas::cli
