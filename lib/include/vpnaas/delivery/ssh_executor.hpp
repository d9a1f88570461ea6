#pragma once

// Tasks carried over SSH: apply scripts go through apply's thread pool
// (apply/apply.hpp: lock, backup, upload, import, end marker), which reports
// each device's result on the spot.

#include <vpnaas/apply/apply.hpp>
#include <vpnaas/delivery/task.hpp>
#include <vpnaas/transport/ssh/endpoint.hpp>

#include <functional>
#include <optional>
#include <vector>

namespace vpnaas::delivery {

class SshExecutor : public Executor {
public:
  // `endpoint_of` gives a device's SSH endpoint (apply::ssh_target of the
  // inventory's device); `options` are apply's for the whole run.
  using EndpointOf = std::function<std::optional<transport::ssh::Endpoint>(const std::string&)>;
  SshExecutor(EndpointOf endpoint_of, apply::Options options);

  Transport transport() const override { return Transport::ssh; }

  // apply-script tasks only: done when the import ran to its end, failed
  // when it stopped before the import or at a rejected line, outcome-unknown
  // when it may have run partly. Other kinds fail (unsupported): `vpnaas
  // device run|export|reboot` run those over SSH themselves.
  std::vector<TaskResult> execute(const std::vector<Task>& tasks) override;

  // apply's own result for each task of the last execute() (same order), with
  // its stages, backups and attempts, for the tables that show them.
  const std::vector<apply::DeviceResult>& apply_results() const { return m_details; }

private:
  EndpointOf m_endpoint_of;
  apply::Options m_options;
  std::vector<apply::DeviceResult> m_details;
};

} // namespace vpnaas::delivery
