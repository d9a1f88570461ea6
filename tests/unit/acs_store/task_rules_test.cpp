#include <vpnaas/acs/task.hpp>

#include <doctest/doctest.h>

#include "store_test_support.hpp"

using namespace vpnaas::acs;
using Verdict = Settlement::Verdict;
using std::chrono::seconds;
using vpnaas::test::kNow;

namespace {

CpeReport inform(std::initializer_list<InformEvent> events) {
  return CpeReport{events, std::nullopt};
}

CpeReport transfer_complete(const std::string& key, int code, const std::string& text = {}) {
  return CpeReport{{}, TransferOutcome{key, code, text}};
}

} // namespace

TEST_CASE("task rules: kind and state names round-trip") {
  for (auto kind : {TaskKind::get_rpc_methods, TaskKind::set_parameter_values, TaskKind::reboot,
                    TaskKind::factory_reset, TaskKind::download, TaskKind::upload}) {
    CHECK(parse_task_kind(task_kind_name(kind)) == kind);
  }
  CHECK(std::string(task_kind_name(TaskKind::get_parameter_values)) == "GetParameterValues");
  CHECK_FALSE(parse_task_kind("reboot").has_value());
  for (auto state : {TaskState::queued, TaskState::sent, TaskState::done, TaskState::fault,
                     TaskState::expired}) {
    CHECK(parse_task_state(task_state_name(state)) == state);
  }
  CHECK(is_final(TaskState::expired));
  CHECK_FALSE(is_final(TaskState::sent));
}

TEST_CASE("task rules: Reboot, FactoryReset, Download and AddObject are never re-sent after a "
          "restart, reads and sets are") {
  for (auto kind :
       {TaskKind::reboot, TaskKind::factory_reset, TaskKind::download, TaskKind::add_object}) {
    CHECK_FALSE(is_idempotent(kind));
    CHECK(decide_after_restart(kind) == RestartAction::await_cpe);
  }
  for (auto kind :
       {TaskKind::get_rpc_methods, TaskKind::get_parameter_names, TaskKind::get_parameter_values,
        TaskKind::set_parameter_values, TaskKind::get_parameter_attributes,
        TaskKind::set_parameter_attributes, TaskKind::delete_object, TaskKind::upload}) {
    CHECK(is_idempotent(kind));
    CHECK(decide_after_restart(kind) == RestartAction::requeue);
  }
}

TEST_CASE("task rules: which CWMP faults are retried") {
  for (int code : {9002, 9004, 9010, 9011, 9015, 9017, 9020}) {
    CHECK_MESSAGE(is_retryable_fault(code), code);
  }
  for (int code : {9000, 9001, 9003, 9005, 9006, 9007, 9008, 9012, 9013, 9016, 9019, 9800, 0}) {
    CHECK_MESSAGE(!is_retryable_fault(code), code);
  }
}

TEST_CASE("task rules: back-off doubles from the base, is capped, and stops at max attempts") {
  RetryPolicy policy{seconds(30), seconds(100), 4};
  auto first = decide_fault(policy, 9002, 1, kNow);
  CHECK(first.retry);
  CHECK(first.next_attempt == kNow + seconds(30));
  CHECK(decide_fault(policy, 9002, 2, kNow).next_attempt == kNow + seconds(60));
  CHECK(decide_fault(policy, 9002, 3, kNow).next_attempt == kNow + seconds(100));
  CHECK_FALSE(decide_fault(policy, 9002, 4, kNow).retry);
  CHECK_FALSE(decide_fault(policy, 9005, 1, kNow).retry);
  // A huge attempt count neither overflows nor passes the cap.
  RetryPolicy many{seconds(30), seconds(3600), 1'000'000};
  CHECK(decide_fault(many, 9002, 500'000, kNow).next_attempt == kNow + seconds(3600));
}

TEST_CASE("task rules: an open Reboot is settled by M Reboot with its CommandKey or by 1 BOOT") {
  auto by_key = settle_open_task(TaskKind::reboot, "k1", inform({{"M Reboot", "k1"}}));
  CHECK(by_key.verdict == Verdict::done);
  CHECK(by_key.reason.find("M Reboot") != std::string::npos);
  CHECK(settle_open_task(TaskKind::reboot, "k1", inform({{"1 BOOT", ""}, {"2 PERIODIC", ""}}))
            .verdict == Verdict::done);
  // Another task's reboot, or a plain periodic Inform, settles nothing.
  CHECK(settle_open_task(TaskKind::reboot, "k1", inform({{"M Reboot", "k2"}})).verdict ==
        Verdict::keep_waiting);
  CHECK(settle_open_task(TaskKind::reboot, "k1", inform({{"2 PERIODIC", ""}})).verdict ==
        Verdict::keep_waiting);
}

TEST_CASE("task rules: an open FactoryReset is settled by 0 BOOTSTRAP only") {
  CHECK(settle_open_task(TaskKind::factory_reset, "", inform({{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}}))
            .verdict == Verdict::done);
  CHECK(settle_open_task(TaskKind::factory_reset, "", inform({{"1 BOOT", ""}})).verdict ==
        Verdict::keep_waiting);
}

TEST_CASE("task rules: an open Download is settled by TransferComplete with its CommandKey, "
          "with or without event 7") {
  CHECK(settle_open_task(TaskKind::download, "d1", transfer_complete("d1", 0)).verdict ==
        Verdict::done);
  auto failed = settle_open_task(TaskKind::download, "d1",
                                 transfer_complete("d1", 9016, "unable to access file"));
  CHECK(failed.verdict == Verdict::fault);
  CHECK(failed.fault_code == 9016);
  CHECK(failed.reason.find("unable to access file") != std::string::npos);
  CHECK(settle_open_task(TaskKind::download, "d1", transfer_complete("d0", 0)).verdict ==
        Verdict::keep_waiting);
  // M Download announces the TransferComplete that follows; alone it settles nothing.
  CHECK(settle_open_task(TaskKind::download, "d1",
                         inform({{"M Download", "d1"}, {"7 TRANSFER COMPLETE", ""}}))
            .verdict == Verdict::keep_waiting);
  CHECK(settle_open_task(TaskKind::download, "d1", inform({{"1 BOOT", ""}})).verdict ==
        Verdict::keep_waiting);
}

TEST_CASE("task rules: an Upload settles by TransferComplete, a read never from events") {
  CHECK(settle_open_task(TaskKind::upload, "u1", transfer_complete("u1", 0)).verdict ==
        Verdict::done);
  CHECK(settle_open_task(TaskKind::get_parameter_values, "", inform({{"1 BOOT", ""}})).verdict ==
        Verdict::keep_waiting);
  CHECK(settle_open_task(TaskKind::get_parameter_values, "", transfer_complete("", 0)).verdict ==
        Verdict::keep_waiting);
}
