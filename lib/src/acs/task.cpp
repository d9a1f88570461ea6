#include <vpnaas/acs/store.hpp>
#include <vpnaas/acs/task.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace vpnaas::acs {
namespace {

constexpr std::array<std::pair<TaskKind, const char*>, 12> kKindNames{{
    {TaskKind::get_rpc_methods, "GetRPCMethods"},
    {TaskKind::get_parameter_names, "GetParameterNames"},
    {TaskKind::get_parameter_values, "GetParameterValues"},
    {TaskKind::set_parameter_values, "SetParameterValues"},
    {TaskKind::get_parameter_attributes, "GetParameterAttributes"},
    {TaskKind::set_parameter_attributes, "SetParameterAttributes"},
    {TaskKind::add_object, "AddObject"},
    {TaskKind::delete_object, "DeleteObject"},
    {TaskKind::reboot, "Reboot"},
    {TaskKind::factory_reset, "FactoryReset"},
    {TaskKind::download, "Download"},
    {TaskKind::upload, "Upload"},
}};

constexpr std::array<std::pair<TaskState, const char*>, 5> kStateNames{{
    {TaskState::queued, "queued"},
    {TaskState::sent, "sent"},
    {TaskState::done, "done"},
    {TaskState::fault, "fault"},
    {TaskState::expired, "expired"},
}};

bool has_event(const CpeReport& report, std::string_view code, const std::string_view* key) {
  return std::any_of(report.events.begin(), report.events.end(), [&](const InformEvent& e) {
    return e.code == code && (key == nullptr || e.command_key == *key);
  });
}

} // namespace

const char* task_kind_name(TaskKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) {
      return name;
    }
  }
  return "unknown";
}

std::optional<TaskKind> parse_task_kind(std::string_view name) {
  for (const auto& [kind, n] : kKindNames) {
    if (name == n) {
      return kind;
    }
  }
  return std::nullopt;
}

const char* task_state_name(TaskState state) {
  for (const auto& [s, name] : kStateNames) {
    if (s == state) {
      return name;
    }
  }
  return "unknown";
}

std::optional<TaskState> parse_task_state(std::string_view name) {
  for (const auto& [state, n] : kStateNames) {
    if (name == n) {
      return state;
    }
  }
  return std::nullopt;
}

bool is_final(TaskState state) {
  return state == TaskState::done || state == TaskState::fault || state == TaskState::expired;
}

bool is_idempotent(TaskKind kind) {
  switch (kind) {
  case TaskKind::reboot:
  case TaskKind::factory_reset:
  case TaskKind::download:
  case TaskKind::add_object:
    return false;
  default:
    return true;
  }
}

bool sendable_before_commit(const Task& head, TimePoint now) {
  return head.state == TaskState::queued && head.next_attempt_at <= now &&
         !(head.expires_at && *head.expires_at <= now) && is_idempotent(head.kind);
}

void SessionWrites::defer_sent(Task& head, TimePoint at) {
  head.attempts += 1;
  head.state = TaskState::sent;
  head.updated_at = at;
  sent = head.id;
  sent_at = at;
  committed = false;
}

bool is_retryable_fault(int fault_code) {
  switch (fault_code) {
  case 9002:
  case 9004:
  case 9010:
  case 9011:
  case 9015:
  case 9017:
  case 9020:
    return true;
  default:
    return false;
  }
}

FaultDecision decide_fault(const RetryPolicy& policy, int fault_code, int attempts, TimePoint now) {
  if (!is_retryable_fault(fault_code) || attempts >= policy.max_attempts) {
    return {};
  }
  // Doubling from base, without overflowing for large attempt counts.
  auto delay = policy.base;
  for (int i = 1; i < attempts && delay < policy.cap; ++i) {
    delay *= 2;
  }
  return {true, now + std::min(delay, policy.cap)};
}

RestartAction decide_after_restart(TaskKind kind) {
  return is_idempotent(kind) ? RestartAction::requeue : RestartAction::await_cpe;
}

Settlement settle_open_task(TaskKind kind, std::string_view command_key, const CpeReport& report) {
  using Verdict = Settlement::Verdict;
  switch (kind) {
  case TaskKind::reboot:
    if (has_event(report, "M Reboot", &command_key)) {
      return {Verdict::done, 0, "the CPE reported M Reboot with the task's CommandKey"};
    }
    if (has_event(report, "1 BOOT", nullptr)) {
      return {Verdict::done, 0, "the CPE reported 1 BOOT: it rebooted after the request"};
    }
    break;
  case TaskKind::factory_reset:
    if (has_event(report, "0 BOOTSTRAP", nullptr)) {
      return {Verdict::done, 0, "the CPE reported 0 BOOTSTRAP: it was reset"};
    }
    break;
  case TaskKind::download:
  case TaskKind::upload:
    if (report.transfer_complete && report.transfer_complete->command_key == command_key) {
      const TransferOutcome& outcome = *report.transfer_complete;
      if (outcome.fault_code == 0) {
        return {Verdict::done, 0, "TransferComplete with the task's CommandKey"};
      }
      return {Verdict::fault, outcome.fault_code,
              "TransferComplete with the task's CommandKey and a fault: " + outcome.fault_text};
    }
    break;
  default:
    break;
  }
  return {Verdict::keep_waiting, 0, {}};
}

UnreportedAction decide_unreported(TaskKind kind, bool file_fetched) {
  switch (kind) {
  case TaskKind::reboot:
  case TaskKind::factory_reset:
    return UnreportedAction::requeue;
  case TaskKind::download:
    return file_fetched ? UnreportedAction::keep_waiting : UnreportedAction::requeue;
  default:
    return UnreportedAction::keep_waiting;
  }
}

} // namespace vpnaas::acs
