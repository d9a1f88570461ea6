#pragma once

// The ACS's durable runtime state: the CPEs that called in, their task queues
// with every state change, uploaded files and download tokens. The inventory
// stays the source of truth for what a device should run; this holds only
// what happened. Abstract so that a shared (PostgreSQL) store for several ACS
// instances can replace the SQLite one without touching its users: every
// method is one transaction, and claim_next is atomic across processes.

#include <vpnaas/acs/task.hpp>
#include <vpnaas/core/error.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace vpnaas::acs {

// pending: an unknown serial that authenticated; it gets an InformResponse
// and nothing else. accepted: bound to an inventory device. A rejected CPE is
// forgotten (Store::forget_device), not kept in a state of its own.
enum class Binding { pending, accepted };
const char* binding_name(Binding binding);

// What an Inform tells about a CPE, recorded on each one.
struct InformRecord {
  std::string serial;
  std::string oui;
  std::string product_class;
  std::string manufacturer;
  std::vector<InformEvent> events;
  std::string remote_address;
  std::string software_version;
  std::string data_model_root; // "Device." or "InternetGatewayDevice."
  std::string connection_request_url;
  TimePoint at;
};

struct DeviceRecord {
  std::string serial;
  std::string oui;
  std::string product_class;
  std::string manufacturer;
  Binding binding = Binding::pending;
  std::string device_name; // the inventory device it is bound to; empty when pending
  std::optional<TimePoint> last_inform;
  std::vector<InformEvent> last_events;
  std::string remote_address;
  std::string software_version;
  std::string data_model_root;
  std::string parameters_json = "{}"; // the parameters last read, path -> value
  std::string connection_request_url;
  bool unreachable = false;
};

// What forget_device removed with the device.
struct ForgottenDevice {
  std::size_t tasks = 0;
  std::size_t uploads = 0;
};

struct NewTask {
  std::string serial;
  TaskKind kind = TaskKind::get_rpc_methods;
  std::string payload_json = "{}"; // the RPC's arguments
  std::string command_key;         // Reboot, Download, Upload, ScheduleInform; ParameterKey
  std::string inventory_revision;  // what the task was made from, for the history
  std::optional<TimePoint> expires_at;
};

struct Task {
  TaskId id = 0;
  std::string serial;
  TaskKind kind = TaskKind::get_rpc_methods;
  std::string payload_json;
  std::string command_key;
  std::string inventory_revision;
  TaskState state = TaskState::queued;
  bool outcome_unknown = false; // sent before a restart, waiting for the CPE to settle it
  int attempts = 0;             // times sent
  TimePoint next_attempt_at;
  std::optional<TimePoint> expires_at;
  int fault_code = 0;
  std::string fault_text;
  std::string result_json;
  TimePoint created_at;
  TimePoint updated_at;
};

// Whether `head`, the oldest queued task of a device as read at `now`, can
// be sent before its claim is committed: due, unexpired, idempotent.
bool sendable_before_commit(const Task& head, TimePoint now);

// One state change of a task.
struct TaskChange {
  TaskId task = 0;
  std::optional<TaskState> from; // none for the creation
  TaskState to = TaskState::queued;
  int attempts = 0;
  TimePoint at;
  std::string note;
};

struct UploadedFile {
  std::int64_t id = 0;
  std::string serial;
  std::optional<TaskId> task; // the Upload task whose RPC produced it
  std::string file_type;      // "1 Vendor Configuration File", ...
  std::size_t size = 0;
  TimePoint received_at;
};

// What a CWMP session has to write before its next claim (Store::claim_next),
// folded into the claim's transaction.
struct SessionWrites {
  // record_inform, deferred from the Inform to the session's next claim.
  std::optional<InformRecord> inform;
  std::string inventory_device;
  // complete(): sent -> done with the CPE's answer.
  std::optional<TaskId> completed;
  std::string result_json;
  // A JSON object of parameter values merged into the device's parameters.
  std::string parameters_patch;
  // Set by a caller that commits these writes later anyway (a CWMP
  // session): claim_next then commits nothing for an idempotent head and
  // leaves its move to sent in `sent`. Sending such an RPC again is
  // harmless, so its claim need not be durable before the RPC goes out,
  // and a session that reads one value commits once instead of twice.
  bool defer_idempotent_sent = false;
  // An idempotent task claimed and sent, not yet written as sent: written
  // first (sent at `sent_at`, one more attempt), before `completed`. A task
  // that is no longer queued by then is left as it is.
  std::optional<TaskId> sent;
  TimePoint sent_at;
  // Set by the store: why `completed` was not completed.
  std::optional<Error> refused;
  // Whether a claim may leave its move to sent here: deferring is asked
  // for, and no other claim or answer waits in these writes.
  bool can_defer_claim() const {
    return defer_idempotent_sent && !sent && !completed && parameters_patch.empty();
  }
  // Claims `head` in memory (sent at `at`, one more attempt) and leaves its
  // write to the next commit of these writes, in `sent`.
  void defer_sent(Task& head, TimePoint at);
  // Set by the store: these writes were committed (and the caller starts
  // afresh); false when a claim left them for a later commit.
  bool committed = false;
};

class Store {
public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  // --- devices ---------------------------------------------------------------
  // Records an Inform: creates the device as pending (or bound to
  // `inventory_device` when the inventory lists its serial), else updates its
  // last Inform, events, address, versions and URL, and clears `unreachable`.
  // Returns the device as stored.
  virtual Result<DeviceRecord> record_inform(const InformRecord& inform,
                                             const std::string& inventory_device) = 0;
  // nullopt for an unknown serial.
  virtual Result<std::optional<DeviceRecord>> device(const std::string& serial) = 0;
  // What a new session needs, read in one transaction: the device (without
  // its last events; nullopt for an unknown serial), its open tasks, and
  // its newest task with `command_key` (nullopt: none).
  struct SessionStart {
    std::optional<DeviceRecord> device;
    std::vector<Task> open_tasks;
    std::optional<Task> latest_with_key;
  };
  virtual Result<SessionStart> session_start(const std::string& serial,
                                             const std::string& command_key) = 0;
  virtual Result<std::vector<DeviceRecord>> devices() = 0;
  // Binds (accepted, with a device name) or unbinds (pending) a serial;
  // unknown_name when the serial never called in.
  virtual Status set_binding(const std::string& serial, Binding binding,
                             const std::string& device_name) = 0;
  // Forgets a CPE in one transaction: its row and last events, its tasks with
  // their history and download links, its uploaded files. A later Inform of
  // that serial records it as a new, pending CPE. unknown_name when the
  // serial never called in.
  virtual Result<ForgottenDevice> forget_device(const std::string& serial) = 0;
  // Replaces the parameters last read (a JSON object) of a known serial.
  virtual Status set_parameters(const std::string& serial, const std::string& parameters_json) = 0;
  virtual Status set_unreachable(const std::string& serial, bool unreachable) = 0;

  // --- tasks -----------------------------------------------------------------
  // Queues a task at the end of its device's queue; returns its id.
  virtual Result<TaskId> enqueue(const NewTask& task, TimePoint now) = 0;
  // Several tasks in one transaction (all or none), in order; their ids.
  virtual Result<std::vector<TaskId>> enqueue_all(const std::vector<NewTask>& tasks,
                                                  TimePoint now) = 0;
  // Atomically takes the head of the device's queue (the oldest queued task)
  // if it is due (its back-off passed) and unexpired, marks it sent and counts
  // the attempt. A head waiting for its back-off holds the ones behind it:
  // a device's tasks run in the order they were queued. nullopt: nothing due.
  Result<std::optional<Task>> claim_next(const std::string& serial, TimePoint now) {
    SessionWrites none;
    return claim_next(serial, now, none);
  }
  // claim_next with a session's pending writes in the same transaction
  // (written first, kept if nothing is due): one commit per CWMP request
  // instead of one per write. A `completed` task that is no longer sent is
  // left as it is and `writes.refused` says why; the claim goes on. With
  // `writes.defer_idempotent_sent`, and no `sent`, `completed` or
  // `parameters_patch` in the writes yet, an idempotent head is returned
  // without a commit: nothing is written, the head goes to `writes.sent`
  // and `writes.committed` stays false.
  virtual Result<std::optional<Task>> claim_next(const std::string& serial, TimePoint now,
                                                 SessionWrites& writes) = 0;
  // A session's pending writes in a transaction of their own (a session
  // that ends without another claim).
  virtual Status record_session(const std::string& serial, SessionWrites& writes,
                                TimePoint now) = 0;
  // sent -> done with the CPE's answer. invalid_input if the task is not sent.
  virtual Status complete(TaskId id, const std::string& result_json, TimePoint now) = 0;
  // sent -> queued (with a back-off) or fault, as decide_fault says.
  // Returns the task after the change.
  virtual Result<Task> record_fault(TaskId id, int fault_code, const std::string& fault_text,
                                    const RetryPolicy& policy, TimePoint now) = 0;
  // Applies a Settlement to an open task (keep_waiting changes nothing).
  virtual Status settle(TaskId id, const Settlement& settlement, TimePoint now) = 0;
  // The CPE answered a Download or Upload with Status 1: the task stays
  // sent, its outcome to come in a TransferComplete (settle), and it can now
  // expire like one left open by a restart. invalid_input if not sent.
  virtual Status await_report(TaskId id, TimePoint now) = 0;
  // After a start: every sent task is requeued or marked outcome-unknown, as
  // decide_after_restart says. Returns how many tasks it touched.
  virtual Result<std::size_t> recover_after_restart(TimePoint now) = 0;
  // An outcome-unknown sent task that the CPE shows it never received
  // (decide_unreported): queued again, due now, its attempts kept, `reason`
  // in its history. invalid_input when the task is not sent with its
  // outcome unknown.
  virtual Status requeue_unreceived(TaskId id, const std::string& reason, TimePoint now) = 0;
  // Whether the file of the task's current Download link was fetched.
  virtual Result<bool> download_fetched(TaskId id) = 0;
  // Queued tasks and outcome-unknown sent tasks whose expiry passed become
  // expired. Returns how many.
  virtual Result<std::size_t> expire_due(TimePoint now) = 0;
  // The device's tasks still open: queued, or sent.
  virtual Result<std::vector<Task>> open_tasks(const std::string& serial) = 0;
  virtual Result<std::optional<Task>> task(TaskId id) = 0;
  // The device's tasks, oldest first, at most `limit`.
  virtual Result<std::vector<Task>> tasks(const std::string& serial, std::size_t limit) = 0;
  virtual Result<std::vector<TaskChange>> history(TaskId id) = 0;

  // --- files -----------------------------------------------------------------
  // Keeps a file a CPE uploaded for the Upload task `task` (nullopt: none).
  // invalid_input when it is larger than the per-file limit; the device's
  // oldest files are dropped to stay under its total.
  virtual Result<std::int64_t> store_upload(const std::string& serial, std::optional<TaskId> task,
                                            const std::string& file_type,
                                            const std::string& content, TimePoint now) = 0;
  virtual Result<std::vector<UploadedFile>> uploads(const std::string& serial) = 0;
  // The file the task's Upload produced (the newest, should the CPE have
  // sent it twice); nullopt when none is kept.
  virtual Result<std::optional<UploadedFile>> task_upload(TaskId task) = 0;
  virtual Result<std::string> upload_content(std::int64_t id) = 0;

  // A new unguessable token (64 hex digits) for the Download URL of a task,
  // valid until `expires_at`, good for one fetch; issuing one again replaces
  // the previous. Only a hash of it is stored.
  virtual Result<std::string> issue_download_token(TaskId task, TimePoint expires_at) = 0;
  // The task a token was issued for, and the token used up; unknown_name for
  // an unknown, used or expired token (the same answer for all three).
  virtual Result<TaskId> redeem_download_token(const std::string& token, TimePoint now) = 0;
};

} // namespace vpnaas::acs
