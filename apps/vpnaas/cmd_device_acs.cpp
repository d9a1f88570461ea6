#include "cmd_device_acs.hpp"

#include <vpnaas/acs/cwmp_executor.hpp>
#include <vpnaas/acs/management_client.hpp>
#include <vpnaas/inventory/device_registry.hpp>
#include <vpnaas/render/device_model.hpp>
#include <vpnaas/render/generate.hpp>
#include <vpnaas/workspace/inventory_path.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>

#include "exit_codes.hpp"
#include "options.hpp"
#include "table.hpp"

namespace vpnaas::cli {
namespace {

using acs::ManagementEndpoint;

std::string text(const nlohmann::json& value) {
  if (value.is_null()) {
    return "-";
  }
  if (value.is_string()) {
    return value.get<std::string>().empty() ? "-" : value.get<std::string>();
  }
  return value.dump();
}

std::string field(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? "-" : text(*it);
}

std::string segment(const std::string& name) {
  return acs::encode_path_segment(name);
}

// One answer of the management API, with the server that gave it.
struct AcsAnswer {
  ManagementEndpoint endpoint;
  nlohmann::json body;
};

// Finds the ACS (--acs, $VPNAAS_ACS, the default socket) and makes one call
// to its management API; the error of either step as it is.
Result<AcsAnswer> call_acs(const AcsDeviceOptions& options, const std::string& method,
                           const std::string& path, const std::string& body = {}) {
  auto endpoint = acs::resolve_management_endpoint(options.acs);
  if (!endpoint) {
    return endpoint.error();
  }
  auto got = acs::management_call(*endpoint, method, path, body);
  if (!got) {
    return got.error();
  }
  return AcsAnswer{std::move(*endpoint), std::move(*got)};
}

// The inventory's device of that name, or an unknown_name error with a
// did-you-mean (via the SSH commands' lookup wording).
Status check_inventory_device(const InventoryOptions& options, const std::string& name) {
  InventoryOptions read_only = options;
  read_only.dry_run = true;
  read_only.allow_mass_removal = true;
  OpenedWorkspace opened = open_inventory(read_only);
  if (opened.error) {
    return *opened.error;
  }
  const inventory::DeviceRegistry registry(opened.workspace->inventory);
  if (registry.find(name) == nullptr) {
    return make_error(ErrorCode::unknown_name,
                      fmt::format("no device named \"{}\" in {}", name, inventory_label(opened)),
                      "add the device to the inventory first; `vpnaas inventory show` lists them");
  }
  return Ok{};
}

// The device's full script, rendered from the inventory as `mesh generate` does.
Result<std::string> render_script(const AcsDeviceOptions& options) {
  InventoryOptions read_only = options.inventory;
  read_only.dry_run = true;
  OpenedWorkspace opened = open_inventory(read_only);
  if (opened.error) {
    return *opened.error;
  }
  const Workspace& ws = *opened.workspace;
  if (!ws.valid()) {
    print_diagnostics(ws.diagnostics);
    return make_error(ErrorCode::invalid_input,
                      fmt::format("{} is invalid: nothing pushed", inventory_label(opened)),
                      "fix the errors above (`vpnaas inventory validate`)");
  }
  auto refs = render::index_devices(ws.inventory, ws.tunnels);
  const render::DeviceRef* ref = nullptr;
  for (const auto& r : refs) {
    if (r.device->name.value == options.target) {
      ref = &r;
    }
  }
  if (ref == nullptr) {
    return make_error(
        ErrorCode::unknown_name,
        fmt::format("no device named \"{}\" in {}", options.target, inventory_label(opened)),
        "`vpnaas inventory show` lists the devices");
  }
  auto key = master_key_for(opened.path, options.key_file, nullptr);
  if (!key) {
    return key.error();
  }
  render::RenderInput input{ws.inventory, ws.tunnels, ws.allocation.lock, *key,
                            revision_of(opened)};
  return render::render_device(*ref, input);
}

// Asks the server until the task is final or `seconds` passed; each ask is
// one long-poll of at most 30 s, so a proxy's idle timeout does not cut it.
Result<nlohmann::json> wait_for(const ManagementEndpoint& endpoint, std::int64_t id,
                                double seconds) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline -
                                                                 std::chrono::steady_clock::now())
                    .count();
    auto slice = std::clamp<std::int64_t>(left, 0, 30);
    auto got = acs::management_call(endpoint, "GET", fmt::format("/v1/tasks/{}?wait={}", id, slice),
                                    {}, static_cast<long>(slice + 30));
    if (!got) {
      return got.error();
    }
    const auto& task = (*got)["task"];
    if (task.value("final", false) || slice == 0 || std::chrono::steady_clock::now() >= deadline) {
      return task;
    }
  }
}

void print_task_line(const nlohmann::json& task) {
  std::string line = fmt::format("task {}: {} {} is {}", field(task, "id"), field(task, "device"),
                                 field(task, "kind"), field(task, "state"));
  if (task.contains("fault")) {
    line += fmt::format(" (CWMP fault {}: {})", text(task["fault"]["code"]),
                        text(task["fault"]["text"]));
  }
  fmt::print("{}\n", line);
}

// Prints what a finished task brought back: parameter values, for a read.
void print_result(const nlohmann::json& task) {
  auto it = task.find("result");
  if (it == task.end() || it->is_null() || (it->is_object() && it->empty())) {
    return;
  }
  const nlohmann::json* values = &*it;
  if (it->is_object() && it->contains("parameters")) {
    values = &(*it)["parameters"];
  }
  if (values->is_object()) {
    for (const auto& [name, value] : values->items()) {
      fmt::print("  {} = {}\n", name, text(value));
    }
  } else if (values->is_array()) {
    for (const auto& p : *values) {
      fmt::print("  {} = {}\n", field(p, "name"), field(p, "value"));
    }
  } else {
    fmt::print("  {}\n", values->dump());
  }
}

bool confirmed(const std::string& question) {
  fmt::print(stderr, "{} [y/N] ", question);
  std::fflush(stderr);
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

} // namespace

std::string default_management(const InventoryOptions& inventory, const std::string& name) {
  InventoryOptions read_only = inventory;
  read_only.dry_run = true;
  read_only.allow_mass_removal = true;
  OpenedWorkspace opened = open_inventory(read_only);
  if (opened.error || !opened.workspace) {
    return "ssh";
  }
  const inventory::DeviceRegistry registry(opened.workspace->inventory);
  const auto* entry = registry.find(name);
  return entry != nullptr && entry->device->management ? entry->device->management->value : "ssh";
}

int run_acs_list(const AcsDeviceOptions& options) {
  const bool json_out = options.inventory.json();
  auto got = call_acs(options, "GET", "/v1/devices");
  if (!got) {
    return fail(got.error(), json_out);
  }
  const auto& devices = got->body["devices"];
  if (json_out) {
    print_json({{"ok", true}, {"devices", devices}});
    return kExitOk;
  }
  if (devices.empty()) {
    fmt::print(stderr, "no CPE has called in to the ACS at {} yet\n", got->endpoint.describe());
    return kExitOk;
  }
  Table table({"SERIAL", "DEVICE", "BINDING", "PRODUCT", "SOFTWARE", "LAST INFORM", "ADDRESS"});
  for (const auto& d : devices) {
    table.add({field(d, "serial"), field(d, "name"), field(d, "binding"), field(d, "product_class"),
               field(d, "software_version"), field(d, "last_inform"), field(d, "remote_address")});
  }
  table.print(stdout);
  return kExitOk;
}

int run_acs_show(const AcsDeviceOptions& options) {
  const bool json_out = options.inventory.json();
  auto got = call_acs(options, "GET", "/v1/devices/" + segment(options.target));
  if (!got) {
    return fail(got.error(), json_out);
  }
  const auto& d = got->body["device"];
  if (json_out) {
    print_json({{"ok", true}, {"device", d}});
    return kExitOk;
  }
  for (const char* key : {"serial", "name", "binding", "manufacturer", "oui", "product_class",
                          "software_version", "data_model_root", "last_inform", "remote_address",
                          "connection_request_url", "unreachable", "open_tasks"}) {
    fmt::print("{:<26}{}\n", std::string(key) + ":", field(d, key));
  }
  if (d.contains("connection_request_login") && d["connection_request_login"].is_object()) {
    const auto& login = d["connection_request_login"];
    std::string state = field(login, "state");
    if (login.contains("fault")) {
      state += fmt::format(" (CWMP fault {}: {})", text(login["fault"]["code"]),
                           text(login["fault"]["text"]));
    } else if (field(login, "task_state") == "expired") {
      state += " (expired)";
    }
    fmt::print("{:<26}{}\n", "connection_request_login:", state);
    if (login.contains("hint")) {
      fmt::print(stderr, "{}: the connection-request login failed: {}\n", field(d, "serial"),
                 text(login["hint"]));
    }
  }
  if (d.contains("last_events") && !d["last_events"].empty()) {
    std::string events;
    for (const auto& e : d["last_events"]) {
      events += (events.empty() ? "" : ", ") + field(e, "code");
    }
    fmt::print("{:<26}{}\n", "last_events:", events);
  }
  if (d.contains("parameters") && d["parameters"].is_object() && !d["parameters"].empty()) {
    fmt::print("parameters:\n");
    for (const auto& [name, value] : d["parameters"].items()) {
      fmt::print("  {} = {}\n", name, text(value));
    }
  }
  return kExitOk;
}

int run_acs_accept(const AcsDeviceOptions& options) {
  const bool json_out = options.inventory.json();
  if (auto known = check_inventory_device(options.inventory, options.device); !known) {
    return fail(known.error(), json_out);
  }
  auto got = call_acs(options, "POST", "/v1/devices/" + segment(options.target) + "/accept",
                      nlohmann::json{{"device", options.device}}.dump());
  if (!got) {
    return fail(got.error(), json_out);
  }
  if (json_out) {
    auto doc = got->body;
    doc["ok"] = true;
    print_json(doc);
    return kExitOk;
  }
  fmt::print("{}: accepted as {}\n", options.target, options.device);
  fmt::print(stderr,
             "add this line to device {} in the inventory and commit it, so git stays "
             "the source of truth:\n  serial: \"{}\"\n",
             options.device, options.target);
  return kExitOk;
}

int run_acs_reject(const AcsDeviceOptions& options) {
  const bool json_out = options.inventory.json();
  auto got = call_acs(options, "POST", "/v1/devices/" + segment(options.target) + "/reject");
  if (!got) {
    return fail(got.error(), json_out);
  }
  if (json_out) {
    auto doc = got->body;
    doc["ok"] = true;
    print_json(doc);
  } else {
    fmt::print("{}: forgotten, with {} task(s) and {} uploaded file(s)\n", options.target,
               text(got->body["tasks_removed"]), text(got->body["uploads_removed"]));
    fmt::print(stderr, "if it calls in again it is pending, like a new CPE\n");
  }
  return kExitOk;
}

int run_acs_tasks(const AcsDeviceOptions& options) {
  const bool json_out = options.inventory.json();
  auto got = call_acs(options, "GET", "/v1/devices/" + segment(options.target) + "/tasks");
  if (!got) {
    return fail(got.error(), json_out);
  }
  const auto& tasks = got->body["tasks"];
  if (json_out) {
    print_json({{"ok", true}, {"tasks", tasks}});
    return kExitOk;
  }
  if (tasks.empty()) {
    fmt::print(stderr, "{}: no tasks\n", options.target);
    return kExitOk;
  }
  Table table({"ID", "KIND", "STATE", "ATTEMPTS", "FAULT", "UPDATED"});
  for (const auto& t : tasks) {
    std::string fault = t.contains("fault") ? fmt::format("{} {}", text(t["fault"]["code"]),
                                                          text(t["fault"]["text"]))
                                            : "-";
    table.add({field(t, "id"), field(t, "kind"), field(t, "state"), field(t, "attempts"), fault,
               field(t, "updated_at")});
  }
  table.print(stdout);
  return kExitOk;
}

int run_acs_task(const AcsDeviceOptions& options, const std::string& kind) {
  const bool json_out = options.inventory.json();
  nlohmann::json request{{"kind", kind}};
  if (kind == "get-params") {
    request["paths"] = options.paths;
  } else if (kind == "set-params") {
    nlohmann::json values = nlohmann::json::object();
    for (const auto& assignment : options.paths) {
      auto eq = assignment.find('=');
      if (eq == std::string::npos || eq == 0) {
        return fail(make_error(ErrorCode::usage,
                               fmt::format("\"{}\" is not PATH=VALUE", assignment),
                               "e.g. Device.ManagementServer.PeriodicInformInterval=300"),
                    json_out);
      }
      values[assignment.substr(0, eq)] = assignment.substr(eq + 1);
    }
    request["values"] = values;
  } else if (kind == "push-config") {
    auto script = render_script(options);
    if (!script) {
      return fail(script.error(), json_out);
    }
    request["script"] = *script;
  }
  if ((kind == "reboot" || kind == "factory-reset") && !options.yes) {
    bool interactive = isatty(STDIN_FILENO) != 0;
    std::string question =
        kind == "reboot"
            ? fmt::format("Reboot {}? Its tunnels go down until it is back.", options.target)
            : fmt::format("Factory-reset {}? It loses its whole configuration.", options.target);
    if (!interactive) {
      return fail(make_error(ErrorCode::usage,
                             fmt::format("refusing to {} {} without confirmation: standard input "
                                         "is not a terminal",
                                         kind, options.target),
                             fmt::format("pass --yes to {} without asking", kind)),
                  json_out);
    }
    if (!confirmed(question)) {
      if (json_out) {
        print_json({{"ok", false}, {"device", options.target}, {"queued", false}});
      }
      fmt::print(stderr, "nothing queued\n");
      return kExitDeclined;
    }
  }
  auto queued = call_acs(options, "POST", "/v1/devices/" + segment(options.target) + "/tasks",
                         request.dump());
  if (!queued) {
    return fail(queued.error(), json_out);
  }
  nlohmann::json task = queued->body["task"];
  auto id = task.value("id", std::int64_t{0});
  if (!options.wait) {
    if (json_out) {
      print_json({{"ok", true}, {"task", task}, {"waited", false}});
    } else {
      print_task_line(task);
      fmt::print(stderr,
                 "queued: the CPE gets it in its next session (`vpnaas device tasks {}`; --wait "
                 "waits for the outcome)\n",
                 options.target);
    }
    return kExitOk;
  }
  double seconds = *options.wait > 0 ? *options.wait : kDefaultAcsWait;
  if (!json_out) {
    fmt::print(stderr, "task {} queued; waiting up to {}s for the CPE's answer\n", id, seconds);
  }
  auto waited = wait_for(queued->endpoint, id, seconds);
  if (!waited) {
    return fail(waited.error(), json_out);
  }
  task = *waited;
  const auto state = task.value("state", std::string());
  const bool final = task.value("final", false);
  int code = !final ? kExitDeclined : state == "done" ? kExitOk : kExitInvalid;
  if (json_out) {
    print_json({{"ok", code == kExitOk}, {"task", task}, {"waited", true}, {"timed_out", !final}});
  } else {
    print_task_line(task);
    if (state == "done") {
      print_result(task);
    }
    if (!final) {
      fmt::print(stderr, "timed out after {}s: the task is still {} and stays queued\n", seconds,
                 state);
    }
  }
  return code;
}

int run_acs_delivery(const AcsDeviceOptions& options, delivery::TaskKind kind,
                     const std::string& command) {
  const bool json_out = options.inventory.json();
  if (auto known = check_inventory_device(options.inventory, options.target); !known) {
    return fail(known.error(), json_out);
  }
  auto endpoint = acs::resolve_management_endpoint(options.acs);
  if (!endpoint) {
    return fail(endpoint.error(), json_out);
  }
  acs::CwmpExecutorOptions executor_options;
  executor_options.endpoint = *endpoint;
  double seconds = 0;
  if (options.wait) {
    seconds = *options.wait > 0 ? *options.wait : kDefaultAcsWait;
    executor_options.wait = std::chrono::milliseconds(std::llround(seconds * 1000.0));
    if (!json_out) {
      fmt::print(stderr, "{}: queuing on the ACS; waiting up to {}s for the CPE's answer\n",
                 options.target, seconds);
    }
  }
  acs::CwmpExecutor executor(std::move(executor_options));
  const auto results = executor.execute({delivery::Task{options.target, kind, command, {}}});
  const auto& r = results.front();
  if (r.error) {
    return fail(*r.error, json_out);
  }
  const bool timed_out = options.wait && r.state == delivery::TaskState::queued;
  const int code = r.state == delivery::TaskState::done     ? kExitOk
                   : r.state == delivery::TaskState::queued ? (timed_out ? kExitDeclined : kExitOk)
                                                            : kExitInvalid;
  constexpr const char* kNoOutput =
      "CWMP gives no command output: only the CPE's TransferComplete outcome (the script was "
      "fetched and run without a fault, or the fault)";
  if (json_out) {
    nlohmann::json doc{
        {"ok", code == kExitOk},
        {"device", r.device},
        {"via", "cwmp"},
        {"kind", delivery::to_string(kind)},
        {"state", delivery::to_string(r.state)},
        {"task_id", r.acs_task},
        {"fault_code", r.fault_code == 0 ? nlohmann::json() : nlohmann::json(r.fault_code)},
        {"message", r.message},
        {"evidence", r.evidence},
        {"waited", options.wait.has_value()},
        {"timed_out", timed_out}};
    if (kind == delivery::TaskKind::run) {
      doc["command"] = command;
      doc["output"] = nullptr;
      doc["note"] = kNoOutput;
    }
    if (kind == delivery::TaskKind::export_config) {
      doc["export"] =
          r.state == delivery::TaskState::done ? nlohmann::json(r.output) : nlohmann::json();
    }
    print_json(doc);
    return code;
  }
  if (kind == delivery::TaskKind::export_config && r.state == delivery::TaskState::done) {
    fmt::print("{}", r.output);
  } else {
    fmt::print("{}: {} (task {}: {})\n", r.device, r.message, r.acs_task,
               delivery::to_string(r.state));
  }
  if (kind == delivery::TaskKind::run) {
    fmt::print(stderr, "note: {}\n", kNoOutput);
  }
  if (timed_out) {
    fmt::print(stderr, "timed out after {}s: the task stays queued (`vpnaas device tasks {}`)\n",
               seconds, r.device);
  } else if (!options.wait) {
    fmt::print(stderr,
               "queued: the CPE gets it in its next session (`vpnaas device tasks {}`; "
               "--wait waits for the outcome)\n",
               r.device);
  } else if (code != kExitOk && !r.hint.empty()) {
    fmt::print(stderr, "{}: {}\n", r.device, r.hint);
  }
  return code;
}

} // namespace vpnaas::cli
