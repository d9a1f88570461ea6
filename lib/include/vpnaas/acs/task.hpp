#pragma once

// The ACS's task model and the rules that move a task between states, as pure
// functions: the store applies them, the tests check each case alone.
//
//   queued --claim--> sent --answer--> done
//     ^                 |  \--fault, not worth retrying or out of attempts--> fault
//     +--retryable fault (after a back-off)
//   queued or unsettled sent --expiry--> expired
//
// A task of a non-idempotent RPC (Reboot, FactoryReset, Download, AddObject)
// found `sent` after the ACS restarted is never sent again: it stays `sent`,
// marked outcome-unknown, until what the CPE says next settles it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::acs {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;
using TaskId = std::int64_t;

// The ACS -> CPE RPCs a task can carry (TR-069 Amendment 6, A.3.2 and A.4.1).
enum class TaskKind {
  get_rpc_methods,
  get_parameter_names,
  get_parameter_values,
  set_parameter_values,
  get_parameter_attributes,
  set_parameter_attributes,
  add_object,
  delete_object,
  reboot,
  factory_reset,
  download,
  upload,
};

// States only move forward (rank order), except the retry edge sent -> queued,
// which always comes with one more attempt.
enum class TaskState { queued, sent, done, fault, expired };

// The RPC's name as CWMP spells it ("Reboot", "GetParameterValues").
const char* task_kind_name(TaskKind kind);
// The inverse of task_kind_name; nullopt for an unknown name.
std::optional<TaskKind> parse_task_kind(std::string_view name);
// "queued", "sent", "done", "fault", "expired".
const char* task_state_name(TaskState state);
std::optional<TaskState> parse_task_state(std::string_view name);
// done, fault and expired: nothing moves a task out of them.
bool is_final(TaskState state);

// Whether sending the RPC a second time is harmless. Reads and
// Set*Values/Attributes (the same values again), DeleteObject (a second
// delete faults 9005 at worst) and Upload (one more copy of a file) are;
// Reboot, FactoryReset and Download change the device each time, and
// AddObject creates one more instance each time.
bool is_idempotent(TaskKind kind);

// CWMP fault codes worth a retry: the CPE was busy or a transfer failed on
// the way, so the same request can succeed later. From the CPE fault code
// table of the cwmp-1-2 schema: 9002 internal error, 9004 resources
// exceeded, 9010 file transfer failure, 9011 upload failure, 9015 unable to
// contact file server, 9017 unable to complete download, 9020 unable to
// complete within the time window. All others say the request itself is
// wrong (9000 method not supported, 9003 invalid arguments, 9005 invalid
// parameter name, 9006 type, 9007 value, 9008 not writable, 9012 file
// server authentication, ...) and would fault again.
bool is_retryable_fault(int fault_code);

// Back-off before attempt n+1 after n failed attempts: base * 2^(n-1),
// capped; after max_attempts the task faults for good.
struct RetryPolicy {
  std::chrono::seconds base{30};
  std::chrono::seconds cap{std::chrono::hours(1)};
  int max_attempts = 5;
};

// What to do with a task that just faulted after `attempts` attempts
// (counting the one that faulted).
struct FaultDecision {
  bool retry = false;
  TimePoint next_attempt; // when retry
};
FaultDecision decide_fault(const RetryPolicy& policy, int fault_code, int attempts, TimePoint now);

// What the ACS does with a task found `sent` when it starts again after a
// stop or crash: an idempotent one is queued again (the CPE may or may not
// have run it; running it twice is harmless), any other one waits for the
// CPE to tell what happened.
enum class RestartAction { requeue, await_cpe };
RestartAction decide_after_restart(TaskKind kind);

// One EventStruct of an Inform.
struct InformEvent {
  std::string code; // "1 BOOT", "M Reboot", ...
  std::string command_key;
  bool operator==(const InformEvent&) const = default;
};

// A TransferComplete (or the Download's own response) from the CPE.
struct TransferOutcome {
  std::string command_key;
  int fault_code = 0; // 0: success
  std::string fault_text;
};

// What the CPE said that can settle a task whose outcome is open.
struct CpeReport {
  std::vector<InformEvent> events;                  // from an Inform; empty otherwise
  std::optional<TransferOutcome> transfer_complete; // from a TransferComplete
};

// The verdict on one open task (`sent`, not answered in its own session).
struct Settlement {
  enum class Verdict { keep_waiting, done, fault } verdict = Verdict::keep_waiting;
  int fault_code = 0;
  std::string reason; // why, for the task history
};

// Settles a Reboot, FactoryReset, Download or Upload task whose outcome the
// ACS has not recorded (answered "pending", or open across a restart), from
// the CPE's next Inform or TransferComplete, possibly in a later session and
// without event 7:
//   Reboot:       "M Reboot" with the task's CommandKey, else "1 BOOT" (the
//                 device rebooted since: what was asked happened) -> done.
//   FactoryReset: "0 BOOTSTRAP" (a reset device starts anew) -> done.
//   Download, Upload: TransferComplete with the task's CommandKey -> done, or
//                 fault with the CPE's FaultCode; "M Download" alone only
//                 announces that TransferComplete follows -> keep waiting.
// Anything else (a periodic Inform, another CommandKey) keeps it waiting
// until its expiry. Other idempotent kinds always keep waiting: they are
// answered in their own session or sent again.
Settlement settle_open_task(TaskKind kind, std::string_view command_key, const CpeReport& report);

// A task sent before a restart (outcome unknown) that the CPE's first
// session since then left open: its Inform reported no reboot or reset, and
// no TransferComplete of that session named it. A CPE reboots or resets
// right after the session in which it took the request and says so in its
// next Inform, so a Reboot or FactoryReset still open then never reached it
// (the ACS died between recording it as sent and the CPE reading it):
// sending it again runs it once, where waiting would leave it open for
// good. A Download whose file was never fetched did not reach it either; its
// link works once and a new one replaces it, so the file is applied at most
// once even by a CPE that was only slow to fetch. Anything else keeps
// waiting: AddObject cannot be told apart, and the idempotent kinds were
// queued again at the restart.
enum class UnreportedAction { keep_waiting, requeue };
UnreportedAction decide_unreported(TaskKind kind, bool file_fetched);

} // namespace vpnaas::acs
