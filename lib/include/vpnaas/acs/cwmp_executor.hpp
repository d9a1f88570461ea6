#pragma once

// Tasks carried over CWMP: queued on the ACS through its management API, and
// done only when the CPE confirms them in one of its sessions (queued is not
// done). What each task kind becomes:
//   apply-script  Download of a .alter file holding the script (push-config)
//   run           Download of a .alter file holding the one command: CWMP
//                 gives no command output, only TransferComplete's outcome
//   export        Upload of the configuration; with a wait, the file fetched back
//   reboot        Reboot

#include <vpnaas/acs/management_client.hpp>
#include <vpnaas/delivery/task.hpp>

#include <chrono>
#include <optional>

namespace vpnaas::acs {

struct CwmpExecutorOptions {
  ManagementEndpoint endpoint;
  // Set: wait until every task is final or this long has passed (one deadline
  // for all); unset: report each task queued once the ACS has it.
  std::optional<std::chrono::milliseconds> wait;
};

class CwmpExecutor : public delivery::Executor {
public:
  explicit CwmpExecutor(CwmpExecutorOptions options);

  delivery::Transport transport() const override { return delivery::Transport::cwmp; }

  // A task the ACS refuses (the device never called in, is pending, the ACS
  // cannot be reached) is failed with `error` set. After a wait: done when
  // the CPE confirmed it, failed on its fault or an expiry before it was
  // sent, outcome-unknown when it expired after being sent, else queued.
  std::vector<delivery::TaskResult> execute(const std::vector<delivery::Task>& tasks) override;

private:
  CwmpExecutorOptions m_options;
};

} // namespace vpnaas::acs
