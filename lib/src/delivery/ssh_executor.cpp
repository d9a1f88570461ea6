#include <vpnaas/delivery/ssh_executor.hpp>

#include <fmt/format.h>

namespace vpnaas::delivery {

SshExecutor::SshExecutor(EndpointOf endpoint_of, apply::Options options)
    : m_endpoint_of(std::move(endpoint_of)), m_options(std::move(options)) {}

std::vector<TaskResult> SshExecutor::execute(const std::vector<Task>& tasks) {
  std::vector<TaskResult> results(tasks.size());
  m_details.assign(tasks.size(), apply::DeviceResult{});
  std::vector<apply::Target> targets;
  std::vector<std::size_t> positions; // of each target in `tasks`
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    auto& r = results[i];
    r.device = tasks[i].device;
    r.kind = tasks[i].kind;
    r.via = Transport::ssh;
    m_details[i].device = tasks[i].device;
    if (tasks[i].kind != TaskKind::apply_script) {
      r.error = make_error(ErrorCode::internal,
                           fmt::format("{} over SSH is not an executor task", to_string(r.kind)),
                           "use `vpnaas device` for it");
      r.message = r.error->message;
      continue;
    }
    auto endpoint = m_endpoint_of(tasks[i].device);
    if (!endpoint) {
      r.error = make_error(ErrorCode::unknown_name,
                           fmt::format("no SSH endpoint for device \"{}\"", tasks[i].device),
                           "`vpnaas inventory show` lists the devices");
      r.message = r.error->message;
      continue;
    }
    targets.push_back(apply::Target{tasks[i].device, std::move(*endpoint), tasks[i].script});
    positions.push_back(i);
  }
  if (targets.empty()) {
    return results;
  }
  auto applied = apply::apply(targets, m_options);
  for (std::size_t t = 0; t < applied.size(); ++t) {
    const std::size_t i = positions[t];
    auto& d = applied[t];
    auto& r = results[i];
    r.endpoint = d.endpoint;
    r.message = d.message;
    r.hint = d.hint;
    r.duration = d.duration;
    switch (d.outcome) {
    case apply::Outcome::applied:
      r.state = TaskState::done;
      r.evidence = d.dry_run ? "dry run: nothing sent"
                             : "RouterOS's success line and the script's end marker";
      break;
    case apply::Outcome::failed:
      r.state = TaskState::failed;
      r.evidence = fmt::format("stopped at {}", apply::to_string(d.failed_stage));
      break;
    case apply::Outcome::unknown:
      r.state = TaskState::outcome_unknown;
      r.evidence = fmt::format("lost during {}", apply::to_string(d.failed_stage));
      break;
    }
    m_details[i] = std::move(d);
  }
  return results;
}

} // namespace vpnaas::delivery
