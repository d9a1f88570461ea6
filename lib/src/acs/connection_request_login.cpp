#include <vpnaas/acs/connection_request_login.hpp>
#include <vpnaas/secrets/cpe_credentials.hpp>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace vpnaas::acs {
namespace {

constexpr const char* kDerivedPassword = "connection-request-password";

Error bad_payload(const Task& task, const std::string& why) {
  return make_error(
      ErrorCode::invalid_input,
      fmt::format("task {} (SetParameterValues for {}): {}", task.id, task.serial, why),
      "the task was not made by this vpnaas; cancel it and queue it again");
}

} // namespace

Result<NewTask> connection_request_login_task(std::string_view serial, cwmp::DataModel model) {
  std::string root = cwmp::data_model_root(model);
  if (root.empty()) {
    return make_error(ErrorCode::invalid_input,
                      fmt::format("device {}: its Inform named no parameter, so its data model "
                                  "(Device. or InternetGatewayDevice.) is unknown",
                                  serial),
                      "the login is set once the device sends an Inform with its parameters");
  }
  // Checks the serial the way the password will be derived from it later,
  // with a throwaway key: a serial that cannot have a login gets no task.
  secrets::MasterKey probe(std::vector<unsigned char>(secrets::kMasterKeyBytes, 0), "probe");
  auto derived = secrets::derive_cpe_credentials(probe, serial);
  if (!derived) {
    return derived.error();
  }
  nlohmann::json parameters = nlohmann::json::array();
  parameters.push_back({{"name", root + "ManagementServer.ConnectionRequestUsername"},
                        {"type", "string"},
                        {"value", derived.value().connection_request.username}});
  parameters.push_back({{"name", root + "ManagementServer.ConnectionRequestPassword"},
                        {"type", "string"},
                        {"derived", kDerivedPassword}});
  NewTask task;
  task.serial = std::string(serial);
  task.kind = TaskKind::set_parameter_values;
  task.payload_json = nlohmann::json{{"parameters", parameters}}.dump();
  task.command_key = kConnectionRequestLoginKey;
  return task;
}

std::optional<Task> latest_connection_request_login(const std::vector<Task>& tasks) {
  std::optional<Task> latest;
  for (const Task& t : tasks) {
    if (t.command_key == kConnectionRequestLoginKey && (!latest || t.id > latest->id)) {
      latest = t;
    }
  }
  return latest;
}

bool connection_request_login_failed(const Task& login) {
  return login.state == TaskState::fault || login.state == TaskState::expired;
}

Result<cwmp::SetParameterValues> resolve_set_parameter_values(const Task& task,
                                                              const secrets::MasterKey& key) {
  if (task.kind != TaskKind::set_parameter_values) {
    return bad_payload(task, fmt::format("the task is a {}", task_kind_name(task.kind)));
  }
  auto payload = nlohmann::json::parse(task.payload_json, nullptr, false);
  if (payload.is_discarded() || !payload.is_object() || !payload.contains("parameters") ||
      !payload["parameters"].is_array()) {
    return bad_payload(task, "its payload has no \"parameters\" array");
  }
  cwmp::SetParameterValues rpc;
  rpc.parameter_key = task.command_key;
  std::optional<secrets::CpeCredentials> credentials;
  for (const auto& entry : payload["parameters"]) {
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string()) {
      return bad_payload(task, "a parameter has no \"name\"");
    }
    cwmp::ParameterValue value;
    value.name = entry["name"].get<std::string>();
    if (entry.contains("type")) {
      if (!entry["type"].is_string()) {
        return bad_payload(task, fmt::format("{}: \"type\" is not a string", value.name));
      }
      value.type = entry["type"].get<std::string>();
    }
    bool has_value = entry.contains("value") && entry["value"].is_string();
    bool has_derived = entry.contains("derived") && entry["derived"].is_string();
    if (has_value == has_derived) {
      return bad_payload(task, fmt::format("{}: exactly one of \"value\" and \"derived\" "
                                           "(both strings) is needed",
                                           value.name));
    }
    if (has_value) {
      value.value = entry["value"].get<std::string>();
    } else {
      auto derived = entry["derived"].get<std::string>();
      if (derived != kDerivedPassword) {
        return bad_payload(task,
                           fmt::format("{}: unknown derived value \"{}\"", value.name, derived));
      }
      if (!credentials) {
        auto made = secrets::derive_cpe_credentials(key, task.serial);
        if (!made) {
          return made.error();
        }
        credentials = std::move(made.value());
      }
      value.value = credentials->connection_request.password;
    }
    rpc.parameters.push_back(std::move(value));
  }
  if (rpc.parameters.empty()) {
    return bad_payload(task, "its \"parameters\" array is empty");
  }
  return rpc;
}

} // namespace vpnaas::acs
