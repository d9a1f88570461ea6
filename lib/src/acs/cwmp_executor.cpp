#include <vpnaas/acs/cwmp_executor.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace vpnaas::acs {
namespace {

using json = nlohmann::json;
// No using-declarations of delivery::TaskKind and TaskState, nor a Clock:
// acs has its own (vpnaas/acs/task.hpp), and a unity build compiles this file
// together with the ones that use those.
using SteadyClock = std::chrono::steady_clock;

json request_for(const delivery::Task& task) {
  switch (task.kind) {
  case delivery::TaskKind::apply_script:
    return {{"kind", "push-config"}, {"script", task.script}};
  case delivery::TaskKind::run:
    // A .alter file is a script RouterOS runs on the live configuration: one
    // line holding the command is that command run once.
    return {{"kind", "push-config"}, {"script", task.script + "\n"}};
  case delivery::TaskKind::export_config:
    return {{"kind", "upload"}};
  case delivery::TaskKind::reboot:
    return {{"kind", "reboot"}};
  }
  return {};
}

void fail(delivery::TaskResult& result, Error error) {
  result.state = delivery::TaskState::failed;
  result.message = error.message;
  result.hint = error.hint;
  result.error = std::move(error);
}

std::string str(const json& task, const char* key) {
  auto it = task.find(key);
  return it != task.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The result as the ACS's task says it is now.
void settle(delivery::TaskResult& result, const json& task) {
  const std::string state = str(task, "state");
  const std::string rpc = str(task, "kind");
  result.evidence = fmt::format("ACS task {}: {} {}", result.acs_task, rpc, state);
  if (state == "done") {
    result.state = delivery::TaskState::done;
    result.message =
        result.kind == delivery::TaskKind::apply_script || result.kind == delivery::TaskKind::run
            ? "the CPE fetched the .alter file and reported success"
            : fmt::format("the CPE confirmed the {}", rpc);
    return;
  }
  if (state == "fault") {
    result.state = delivery::TaskState::failed;
    const auto& fault = task.contains("fault") ? task["fault"] : json::object();
    result.fault_code = fault.value("code", 0);
    const std::string text = fault.contains("text") && fault["text"].is_string()
                                 ? fault["text"].get<std::string>()
                                 : std::string();
    result.evidence += fmt::format(", CWMP fault {}: {}", result.fault_code, text);
    result.message = fmt::format("the CPE answered CWMP fault {}: {}", result.fault_code, text);
    result.hint = fmt::format("`vpnaas device tasks {}` shows the task's history", result.device);
    return;
  }
  if (state == "expired") {
    if (task.value("outcome_unknown", false)) {
      result.state = delivery::TaskState::outcome_unknown;
      result.message = "expired after it was sent: the CPE never said whether it ran";
      result.hint = fmt::format("look at the router (`vpnaas device show {}`) before sending "
                                "it again",
                                result.device);
    } else {
      result.state = delivery::TaskState::failed;
      result.message = "expired before the CPE called in to take it: nothing was sent";
      result.hint = "check that the router's tr069-client reaches the ACS, then queue it again";
    }
    return;
  }
  result.state = delivery::TaskState::queued;
  result.message = state == "sent" ? "sent to the CPE, which has not answered yet"
                                   : "queued: the CPE gets it in its next session";
  result.hint = fmt::format("`vpnaas device tasks {}` shows whether it was done", result.device);
}

// Long-polls one task until it is final or the deadline passed; each ask is
// at most 30 s so that a proxy's idle timeout does not cut it.
Result<json> wait_for(const ManagementEndpoint& endpoint, std::int64_t id,
                      SteadyClock::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::seconds>(deadline - SteadyClock::now()).count();
    const auto slice = std::clamp<std::int64_t>(left, 0, 30);
    auto got = management_call(endpoint, "GET", fmt::format("/v1/tasks/{}?wait={}", id, slice), {},
                               static_cast<long>(slice + 30));
    if (!got) {
      return got.error();
    }
    const json task = (*got)["task"];
    if (task.value("final", false) || slice == 0 || SteadyClock::now() >= deadline) {
      return task;
    }
  }
}

} // namespace

CwmpExecutor::CwmpExecutor(CwmpExecutorOptions options) : m_options(std::move(options)) {}

std::vector<delivery::TaskResult> CwmpExecutor::execute(const std::vector<delivery::Task>& tasks) {
  const auto& endpoint = m_options.endpoint;
  const auto started = SteadyClock::now();
  std::vector<delivery::TaskResult> results(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    auto& r = results[i];
    r.device = tasks[i].device;
    r.kind = tasks[i].kind;
    r.via = delivery::Transport::cwmp;
    r.endpoint = endpoint.describe();
    auto queued =
        management_call(endpoint, "POST", "/v1/devices/" + encode_path_segment(r.device) + "/tasks",
                        request_for(tasks[i]).dump(), 30);
    if (!queued) {
      fail(r, queued.error());
      continue;
    }
    const json task = (*queued)["task"];
    r.acs_task = task.value("id", std::int64_t{0});
    settle(r, task);
  }

  if (m_options.wait) {
    const auto deadline = started + *m_options.wait;
    for (auto& r : results) {
      if (r.error || r.acs_task == 0) {
        continue;
      }
      auto task = wait_for(endpoint, r.acs_task, deadline);
      if (!task) {
        // The task stays on the ACS: only asking about it failed.
        r.state = delivery::TaskState::queued;
        r.message =
            fmt::format("queued, but its state could not be read: {}", task.error().message);
        r.hint = task.error().hint;
        continue;
      }
      settle(r, *task);
      if (r.state == delivery::TaskState::done && r.kind == delivery::TaskKind::export_config) {
        // Its own file: another export's, queued just before or after, may be newer.
        auto upload = management_call(endpoint, "GET",
                                      fmt::format("/v1/tasks/{}/upload", r.acs_task), {}, 30);
        if (!upload) {
          fail(r, upload.error());
          continue;
        }
        const auto& file = (*upload)["upload"];
        r.output = str(file, "content");
        r.evidence += fmt::format(", upload {} received {}", file.value("id", std::int64_t{0}),
                                  str(file, "received_at"));
      }
    }
  }
  for (auto& r : results) {
    r.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started);
  }
  return results;
}

} // namespace vpnaas::acs
