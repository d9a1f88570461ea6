#pragma once

// Setting a CPE's connection-request login: the SetParameterValues task the
// session engine queues on a device's first accepted session, so that later
// connection requests (connection_request.hpp) can answer the CPE's Digest
// challenge. The password is derived from the master key (see
// secrets/cpe_credentials.hpp) and never stored: the task's payload names it,
// and resolve_set_parameter_values fills it in when the RPC is sent.

#include <vpnaas/acs/store.hpp>
#include <vpnaas/core/error.hpp>
#include <vpnaas/cwmp/device_facts.hpp>
#include <vpnaas/cwmp/messages.hpp>
#include <vpnaas/secrets/master_key.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpnaas::acs {

// The ParameterKey the task sets, so a later Inform's ParameterKey tells it
// was applied.
inline constexpr const char* kConnectionRequestLoginKey = "vpnaas-connection-request-login";

// The SetParameterValues task that sets `<root>ManagementServer.
// ConnectionRequestUsername` to the serial and `...Password` to the derived
// password, for a device of data model `model` (Device. or
// InternetGatewayDevice.). Its payload_json, in the form every
// SetParameterValues task uses:
//   {"parameters": [{"name": "...", "type": "string", "value": "..."},
//                   {"name": "...", "type": "string", "derived": "connection-request-password"}]}
// Fails with invalid_input when the data model is unknown and with usage
// when the serial cannot have a derived login.
Result<NewTask> connection_request_login_task(std::string_view serial, cwmp::DataModel model);

// The newest connection-request login task (by id) among a device's
// `tasks`; nullopt when there is none.
std::optional<Task> latest_connection_request_login(const std::vector<Task>& tasks);

// Whether a login task ended without setting the login: it faulted (a
// non-retryable fault, or out of attempts) or expired.
bool connection_request_login_failed(const Task& login);

// The RPC a SetParameterValues task's payload describes, with each
// "derived" value computed for the task's serial. Fails with invalid_input
// naming the task when the payload is not of that form or names an unknown
// derived value.
Result<cwmp::SetParameterValues> resolve_set_parameter_values(const Task& task,
                                                              const secrets::MasterKey& key);

} // namespace vpnaas::acs
