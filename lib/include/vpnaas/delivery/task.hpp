#pragma once

// The transport-neutral task model: what one command asks of one device, and
// what came of it, whichever way the device is reached. An Executor carries
// tasks over one transport: SSH (apply's thread pool, a result on the spot) or
// CWMP (tasks queued on the ACS; the CPE confirms them in a later session).

#include <vpnaas/core/error.hpp>
#include <vpnaas/inventory/model.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::delivery {

enum class Transport { ssh, cwmp };

// "ssh", "cwmp".
const char* to_string(Transport transport);
// The inverse of to_string; nullopt for anything else.
std::optional<Transport> parse_transport(std::string_view text);

// How a device is reached: `chosen` (--via) when given, else the device's
// `management:` key, else ssh.
Transport transport_for(const inventory::Device& device,
                        std::optional<Transport> chosen = std::nullopt);

enum class TaskKind {
  apply_script, // the device's rendered script: imported over SSH, a .alter Download over CWMP
  run,          // one RouterOS command
  export_config,
  reboot,
};

// "apply-script", "run", "export", "reboot".
const char* to_string(TaskKind kind);

struct Task {
  std::string device;
  TaskKind kind = TaskKind::apply_script;
  // apply_script: the whole script; run: the command. Empty otherwise.
  std::string script;
  std::optional<std::string> revision; // the inventory revision it comes from
};

// What became of a task. Only `done` says the device confirmed it: an SSH
// import that reached its end marker, a CPE's success answer to the RPC.
enum class TaskState {
  done,
  failed,          // the device refused, or never got it (nothing changed)
  outcome_unknown, // it may have run partly or wholly: look at the device
  queued,          // waiting on the ACS for the CPE's next session, or sent and unanswered
};

// "done", "failed", "outcome-unknown", "queued".
const char* to_string(TaskState state);

struct TaskResult {
  std::string device;
  TaskKind kind = TaskKind::apply_script;
  Transport via = Transport::ssh;
  TaskState state = TaskState::failed;
  std::string message; // what happened, for people
  std::string hint;    // what to do about it, when not done
  // What the state rests on: the ACS task and its state, the CPE's fault.
  std::string evidence;
  std::string endpoint;      // user@host:port, or the ACS's management API
  std::int64_t acs_task = 0; // the ACS's task id (CWMP)
  int fault_code = 0;        // the CPE's CWMP fault code, 0 without one
  std::string output;        // export: the uploaded configuration
  // Set when the task failed before reaching the device (the ACS cannot be
  // reached, the device is unknown to it): its code gives the exit code.
  std::optional<Error> error;
  std::chrono::milliseconds duration{0};
};

// Carries tasks over one transport.
class Executor {
public:
  Executor() = default;
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;
  virtual ~Executor() = default;

  virtual Transport transport() const = 0;
  // Runs or queues every task; one result per task, in the order of `tasks`.
  // A failing device never stops the others; never fails as a whole.
  virtual std::vector<TaskResult> execute(const std::vector<Task>& tasks) = 0;
};

} // namespace vpnaas::delivery
